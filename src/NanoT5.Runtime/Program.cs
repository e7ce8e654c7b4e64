// The NanoT5 command line: `dotnet run --project src/NanoT5.Runtime -c Release -- <verb>`.
return NanoT5.Cli.CommandLine.Run(args);
