using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Micro -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(BioLang.Bench.Kernels).Assembly).Run(args);
