using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Micro -- --filter '*'     kernel micro-benchmarks
// dotnet run -c Release --project bench/Micro -- latency           REPL edit-to-running latencies
if (args is ["latency", ..])
    return BioLang.Bench.Latency.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(BioLang.Bench.Kernels).Assembly).Run(args);
return 0;
