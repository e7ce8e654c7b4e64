using System.Diagnostics;
using System.Text.Json;
using NanoT5.Cli;
using NanoT5.Config;
using NanoT5.Data.Tokenizers;
using NanoT5.Finetune;
using NanoT5.IO;
using NanoT5.Model;
using NanoT5.Runs;
using static TorchSharp.torch;

namespace NanoT5.Tests.Finetune;

[Collection(ConsoleCollection.Name)]
public sealed class TextPredictionTests : IClassFixture<PretrainedModelFixture>
{
    private const string Plain = "Sentence number 3 is about the weather";
    private const string Masked = "Sentence number <extra_id_0> is about the <extra_id_1>, which was fine on day 4.";

    private readonly PretrainedModelFixture fixture;

    public TextPredictionTests(PretrainedModelFixture fixture) => this.fixture = fixture;

    [Fact]
    public void PredictVerb_InputFile_GivesTheTokensOfTheGeneratorCalledDirectlyOneLinePerInputOnStandardOutput()
    {
        string inputs = fixture.WriteInputs("inputs.txt", Plain, string.Empty, "Swap the two words: b1 b2", Masked);
        ExperimentConfig config = fixture.PredictConfig();

        (int code, string output, string error) = ConsoleCollection.CaptureWithError(() => CommandLine.Run(["predict", "--config", fixture.Save(config), "--input", inputs]));

        Assert.True(code == ExitCodes.Success, error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal(fixture.Direct(Plain), lines[0]);
        Assert.Equal(fixture.Direct("Swap the two words: b1 b2"), lines[1]);
        Assert.Equal(fixture.Direct(Masked), lines[2]);
        Assert.Contains($"[predict] {fixture.Pretrained} (step 0): 3 inputs from {inputs} (1 with sentinels: span filling)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictVerb_SentinelInputOnAPretrainedModel_FillsTheSpansInARecordOfItsOwnAndLeavesTheRunAsItWas()
    {
        string inputs = fixture.WriteInputs("masked.jsonl", JsonSerializer.Serialize(new { input = Masked, id = "x" }));
        Dictionary<string, string> identity = IdentityFiles(fixture.Pretrained);
        ExperimentConfig config = fixture.PredictConfig() with { RunDirectory = fixture.Pretrained, Model = fixture.PredictConfig().Model with { InitFrom = null } };

        (int code, string output, string error) = ConsoleCollection.CaptureWithError(() => CommandLine.Run(["predict", "--config", fixture.Save(config), "--input", inputs]));

        Assert.True(code == ExitCodes.Success, error);
        // Span corruption's targets all start with the first sentinel: a pretrained model answers in that format.
        Assert.StartsWith("<extra_id_0>", output, StringComparison.Ordinal);
        Assert.Equal(identity, IdentityFiles(fixture.Pretrained));
        string record = MeasurementRecord.Latest(fixture.Pretrained, RunFolderLayout.PredictionsDirectory)!;
        Assert.Contains($"recorded in: {record} (the run itself is unchanged)", error, StringComparison.Ordinal);
        using JsonDocument line = JsonDocument.Parse(File.ReadAllLines(Path.Combine(record, RunFolderLayout.PredictionsFile)).Single());
        Assert.Equal(Masked, line.RootElement.GetProperty("input").GetString());
        Assert.Equal(output.TrimEnd('\n'), line.RootElement.GetProperty("prediction").GetString());
        string filled = line.RootElement.GetProperty("filled").GetString()!;
        Assert.Equal(TextPrediction.Fill(Masked, output.TrimEnd('\n'), fixture.Tokenizer), filled);
        Assert.DoesNotContain("<extra_id_0>", filled, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task PredictProcess_InputFromStandardInput_AnswersAsFromAFile()
    {
        string file = fixture.Save(fixture.PredictConfig());
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "NanoT5.Runtime.dll"), "predict", "--config", file, "--input", "-"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        Task<string> errorRead = process.StandardError.ReadToEndAsync();
        Task<string> outputRead = process.StandardOutput.ReadToEndAsync();
        await process.StandardInput.WriteAsync($"{Plain}\n{Masked}\n");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        await process.WaitForExitAsync(timeout.Token);
        string output = await outputRead;
        string error = await errorRead;

        Assert.True(process.ExitCode == ExitCodes.Success, error);
        Assert.Equal([fixture.Direct(Plain), fixture.Direct(Masked)], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("2 inputs from standard input", error, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictVerb_InputWithAConfigWithoutATaskFolder_AnswersAndOnlyTheSniPathAsksForOne()
    {
        string inputs = fixture.WriteInputs("one.txt", Masked);
        ExperimentConfig pretraining = fixture.PredictConfig() with { Finetune = new FinetuneSettings { MaxTargetLength = 8 } };
        string file = fixture.Save(pretraining);

        (int code, string output, string error) = ConsoleCollection.CaptureWithError(() => CommandLine.Run(["predict", "--config", file, "--input", inputs]));
        (int sniCode, _, string sniError) = ConsoleCollection.CaptureWithError(() => CommandLine.Run(["predict", "--config", file]));

        Assert.True(code == ExitCodes.Success, error);
        Assert.Equal([fixture.Direct(Masked)], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(ExitCodes.UsageOrInput, sniCode);
        Assert.Contains("Mode predict needs finetune.data_directory", sniError, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictVerb_MissingInputFile_SaysWhatItExpects()
    {
        string missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "inputs.txt");

        (int code, _, string error) = ConsoleCollection.CaptureWithError(() => CommandLine.Run(["predict", "--config", fixture.Save(fixture.PredictConfig()), "--input", missing]));

        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.Contains($"predict --input: {missing} does not exist (give a text file with one input per line, a .jsonl file with an \"input\" per line, or - for standard input).", error, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> IdentityFiles(string run) =>
        new[] { "config.resolved.json", "summary.json", "metrics.jsonl" }.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(run, f)));
}

/// <summary>A tiny T5 pretrained with span corruption for a few dozen steps (enough to answer in the sentinel format).</summary>
public sealed class PretrainedModelFixture : IDisposable
{
    public const int Steps = 40;

    private readonly FinetuneRunFixture runs = new();
    private int saved;

    public PretrainedModelFixture()
    {
        Pretrained = runs.NewRunFolder();
        string text = runs.WriteText();
        ExperimentConfig pretraining = runs.Config(Pretrained) with
        {
            Mode = RunMode.Pretrain,
            Model = new ModelSettings { ConfigPath = runs.ModelConfig, Dropout = 0 },
            Data = new DataSettings { TrainSources = [text], ValidationSources = [text], InputLength = 64, ShuffleBuffer = 16, Workers = 1 },
            Optim = new OptimizerSettings { Name = OptimizerKind.AdamW, BaseLr = 1e-2, BatchSize = 8, TotalSteps = Steps, WarmupSteps = 1, Schedule = ScheduleKind.Constant, GradClip = 0 },
            Eval = new EvaluationSettings { EverySteps = Steps, Steps = 1 },
            Logging = new LoggingSettings { EverySteps = Steps },
        };
        (int code, string output) = ConsoleCollection.Capture(() => PretrainingRun.Pretrain(pretraining));
        Assert.True(code == ExitCodes.Success, output);
        Tokenizer = TextTokenizerFactory.Create(pretraining.Tokenizer);
    }

    /// <summary>The pretraining run folder (its checkpoint and exported model).</summary>
    public string Pretrained { get; }

    internal T5LayoutTokenizer Tokenizer { get; }

    /// <summary>A predict experiment in a new run folder whose weights come from the pretrained run (init_from).</summary>
    internal ExperimentConfig PredictConfig()
    {
        string run = runs.NewRunFolder();
        return runs.Config(run) with { Mode = RunMode.Predict, Model = new ModelSettings { ConfigPath = runs.ModelConfig, InitFrom = Pretrained } };
    }

    internal string Save(ExperimentConfig config)
    {
        string file = Path.Combine(Path.GetDirectoryName(Pretrained)!, $"predict-{Interlocked.Increment(ref saved)}.json");
        ExperimentConfigJson.Save(config, file);
        return file;
    }

    internal string WriteInputs(string name, params string[] lines)
    {
        string file = Path.Combine(Path.GetDirectoryName(Pretrained)!, name);
        File.WriteAllLines(file, lines);
        return file;
    }

    /// <summary>
    /// What the generator gives for <paramref name="input"/> alone (no batch, no padding), encoded by hand: the text's
    /// pieces with each sentinel's id, eos; decoded with sentinels kept when the input has them, else as SNI predict does.
    /// </summary>
    internal string Direct(string input)
    {
        ExperimentConfig config = PredictConfig();
        using T5ForConditionalGeneration model = ModelFactory.Create(config, Tokenizer, CPU);
        var ids = new List<long>();
        string[] pieces = input.Split(["<extra_id_0>", "<extra_id_1>"], StringSplitOptions.None);
        for (int i = 0; i < pieces.Length; i++)
        {
            ids.AddRange((i < pieces.Length - 1 ? Tokenizer.Encode(pieces[i].TrimEnd()) : Tokenizer.Encode(pieces[i])).Select(id => (long)id));
            if (i < pieces.Length - 1)
            {
                ids.Add(Tokenizer.SentinelId(i));
            }
        }

        ids.Add(Tokenizer.EosId);
        using Tensor inputIds = tensor(ids.ToArray(), [1, ids.Count]);
        using Tensor mask = ones([1, ids.Count], ScalarType.Int64);
        using Tensor generated = GreedyGenerator.Generate(model, inputIds, mask, config.Finetune.MaxNewTokens());
        int[] tokens = generated.data<long>().Select(id => (int)id).ToArray();
        return pieces.Length > 1
            ? SniPredictionText.Clean(Tokenizer.Decode(tokens.Where(id => id != T5Layout.UnkId)))
            : SniPredictionText.Decode(Tokenizer, tokens);
    }

    public void Dispose() => runs.Dispose();
}
