using BioLang.Repl.Cli;

return Commands.Build().Parse(args).Invoke();
