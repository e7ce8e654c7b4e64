// The exported files in an ordinary .NET app: a console project created here that references only
// Microsoft.ML.OnnxRuntime (restored from NuGet like any package), loads the three graphs with ONNX Runtime's full graph
// optimisation and its logger at warning level, and generates greedily. ONNX Runtime logs at warning level what its
// optimiser or its model checks dislike (unused initializers, unknown ops, shape-inference conflicts): none may appear.
using System.Diagnostics;
using System.Text.RegularExpressions;
using NanoT5.Checkpoints;
using NanoT5.Export;

namespace NanoT5.Tests.Export;

public sealed partial class OnnxConsoleAppTests
{
    private const string Program = """
        using Microsoft.ML.OnnxRuntime;

        string folder = args[0];
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING };
        using var encoder = new InferenceSession(Path.Combine(folder, "encoder.onnx"), options);
        using var decoder = new InferenceSession(Path.Combine(folder, "decoder.onnx"), options);
        using var withPast = new InferenceSession(Path.Combine(folder, "decoder_with_past.onnx"), options);
        long[] ids = [5, 17, 42, 9, 1];
        using var input = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
        using var mask = OrtValue.CreateTensorValueFromMemory(new long[ids.Length].Select(_ => 1L).ToArray(), [1, ids.Length]);
        using var hidden = encoder.Run(new RunOptions(), ["input_ids", "attention_mask"], [input, mask], ["last_hidden_state"]);
        var tokens = new List<long> { 0 };
        using var start = OrtValue.CreateTensorValueFromMemory(new long[] { 0 }, [1, 1]);
        using var first = decoder.Run(new RunOptions(), ["input_ids", "encoder_attention_mask", "encoder_hidden_states"], [start, mask, hidden[0]], decoder.OutputNames);
        tokens.Add(ArgMax(first[0].GetTensorDataAsSpan<float>()));
        var past = decoder.OutputNames.Select((name, i) => (name, i)).Where(o => o.name.StartsWith("present.", StringComparison.Ordinal))
            .ToDictionary(o => "past_key_values." + o.name["present.".Length..], o => first[o.i]);
        IDisposableReadOnlyCollection<OrtValue>? previous = null;
        for (int step = 0; step < 5; step++)
        {
            using var next = OrtValue.CreateTensorValueFromMemory(new long[] { tokens[^1] }, [1, 1]);
            string[] names = ["input_ids", "encoder_attention_mask", .. past.Keys];
            var outputs = withPast.Run(new RunOptions(), names, [next, mask, .. past.Values], withPast.OutputNames);
            tokens.Add(ArgMax(outputs[0].GetTensorDataAsSpan<float>()));
            for (int i = 1; i < outputs.Count; i++)
            {
                past["past_key_values." + withPast.OutputNames[i]["present.".Length..]] = outputs[i];
            }

            previous?.Dispose();
            previous = outputs;
            Console.WriteLine($"step {step}: present {string.Join("x", outputs[1].GetTensorTypeAndShape().Shape)}");
        }

        previous?.Dispose();
        Console.WriteLine("tokens: " + string.Join(" ", tokens));
        return 0;

        static long ArgMax(ReadOnlySpan<float> values)
        {
            int best = 0;
            for (int i = 1; i < values.Length; i++) { if (values[i] > values[best]) { best = i; } }
            return best;
        }
        """;

    [Fact]
    [Trait("Category", "Slow")]
    public void AnAppReferencingOnlyOnnxRuntime_LoadsAndRunsTheExport_WithoutAWarning()
    {
        using var folder = TestPaths.NewTempFolder();
        string export = Path.Combine(folder.Path, "export");
        using (var model = HfCheckpoint.LoadModel(TestPaths.ParityFixture))
        {
            T5OnnxExporter.Export(model, null, export, new OnnxExportOptions());
        }

        string app = Path.Combine(folder.Path, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="{OnnxRuntimeVersion()}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), Program);
        File.WriteAllText(Path.Combine(app, "nuget.config"), """
            <configuration><packageSources><clear /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources></configuration>
            """);

        (int exit, string output) = Dotnet(app, "run", "-c", "Release", "--", export);

        Assert.True(exit == 0, output);
        Assert.Matches(@"tokens: 0( \d+){6}", output);
        Assert.Contains("step 4: present 1x4x6x16", output, StringComparison.Ordinal);
        Assert.DoesNotMatch(OrtWarning(), output);

        // The check has teeth: the same app on an encoder with an initializer no node uses logs ONNX Runtime's warning.
        string flawed = Path.Combine(folder.Path, "flawed");
        Directory.CreateDirectory(flawed);
        foreach (string file in Directory.GetFiles(export))
        {
            File.Copy(file, Path.Combine(flawed, Path.GetFileName(file)));
        }

        var encoder = NanoT5.Export.Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(flawed, OnnxNames.EncoderFile)));
        var unused = new NanoT5.Export.Onnx.TensorProto { Name = "unused", DataType = (int)NanoT5.Export.Onnx.TensorProto.Types.DataType.Float };
        unused.FloatData.Add(1f);
        encoder.Graph.Initializer.Add(unused);
        File.WriteAllBytes(Path.Combine(flawed, OnnxNames.EncoderFile), Google.Protobuf.MessageExtensions.ToByteArray(encoder));
        (int flawedExit, string flawedOutput) = Dotnet(app, "run", "-c", "Release", "--no-build", "--", flawed);
        Assert.True(flawedExit == 0, flawedOutput);
        Assert.Matches(OrtWarning(), flawedOutput);
    }

    private static string OnnxRuntimeVersion() =>
        PackageVersion().Match(File.ReadAllText(TestPaths.Repo("Directory.Packages.props"))).Groups[1].Value;

    private static (int Exit, string Output) Dotnet(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", args) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        // The repository's build settings must not leak in: this is an app outside it.
        start.Environment.Remove("MSBuildExtensionsPath");
        using var process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(600_000), "dotnet run did not finish in 10 minutes");
        return (process.ExitCode, stdout + stderr.Result);
    }

    [GeneratedRegex("<PackageVersion Include=\"Microsoft.ML.OnnxRuntime\" Version=\"([^\"]+)\"")]
    private static partial Regex PackageVersion();

    // ONNX Runtime's default logger: "2026-12-06 06:00:00.000 [W:onnxruntime:, graph.cc:123 ...] message".
    [GeneratedRegex(@"\[[WEF]:onnxruntime")]
    private static partial Regex OrtWarning();
}
