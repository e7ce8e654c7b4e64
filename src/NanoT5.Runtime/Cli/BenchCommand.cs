// `bench`: training-step throughput (forward + backward + optimizer) on random batches.
using System.CommandLine;
using System.Globalization;
using NanoT5.Benchmarks;

namespace NanoT5.Cli;

/// <summary>The bench verb; every value of the "tiny CPU" default can be overridden.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var defaults = new TrainingStepBenchmarkOptions();
        var dModel = new Option<int>("--d-model") { DefaultValueFactory = _ => defaults.Model.DModel, Description = "Model width." };
        var dKv = new Option<int>("--d-kv") { DefaultValueFactory = _ => defaults.Model.DKv, Description = "Head width." };
        var heads = new Option<int>("--heads") { DefaultValueFactory = _ => defaults.Model.NumHeads, Description = "Attention heads." };
        var dFf = new Option<int>("--d-ff") { DefaultValueFactory = _ => defaults.Model.DFf, Description = "Feed-forward width." };
        var layers = new Option<int>("--layers") { DefaultValueFactory = _ => defaults.Model.NumLayers, Description = "Encoder layers." };
        var decoderLayers = new Option<int>("--decoder-layers") { DefaultValueFactory = _ => defaults.Model.DecoderLayers, Description = "Decoder layers." };
        var vocab = new Option<int>("--vocab") { DefaultValueFactory = _ => defaults.Model.VocabSize, Description = "Vocabulary size." };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => defaults.Batch, Description = "Rows per step." };
        var inputLength = new Option<int>("--input-length") { DefaultValueFactory = _ => defaults.InputLength, Description = "Encoder tokens per row." };
        var targetLength = new Option<int>("--target-length") { DefaultValueFactory = _ => defaults.TargetLength, Description = "Decoder tokens per row." };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => defaults.Steps, Description = "Measured steps (the median is reported)." };
        var warmup = new Option<int>("--warmup") { DefaultValueFactory = _ => defaults.WarmupSteps, Description = "Unmeasured steps first." };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => 0, Description = "Intra-op threads (0 = all cores)." };
        var optimizer = new Option<string>("--optimizer") { DefaultValueFactory = _ => defaults.Optimizer, Description = "adamwscale, adamw or adafactor." };
        var flushDenormals = new Option<bool>("--flush-denormals") { DefaultValueFactory = _ => defaults.FlushDenormals, Description = "Flush denormal floats to zero (T5's std-1.0 init produces them early on)." };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => defaults.Device, Description = "cpu, cuda or cuda:N." };
        var precision = new Option<string>("--precision") { DefaultValueFactory = _ => "fp32", Description = "fp32, tf32 (CUDA) or bf16 (autocast matmuls)." };
        precision.AcceptOnlyFromAmong("fp32", "tf32", "bf16");
        var attention = new Option<string>("--attention") { DefaultValueFactory = _ => "eager", Description = "eager (explicit scores) or sdpa (fused scaled_dot_product_attention)." };
        attention.AcceptOnlyFromAmong("eager", "sdpa");
        var residual = new Option<string>("--residual") { DefaultValueFactory = _ => "fp32", Description = "fp32, or bf16 (with --precision bf16: the residual stream in bf16, nanoT5's is_bf16)." };
        residual.AcceptOnlyFromAmong("fp32", "bf16");
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => defaults.Seed, Description = "Seed of init and batches." };

        var command = new Command("bench", "Measure training-step throughput (forward, backward, optimizer step) on random batches.")
        {
            dModel, dKv, heads, dFf, layers, decoderLayers, vocab, batch, inputLength, targetLength, steps, warmup, threads, optimizer, flushDenormals, device, precision, attention, residual, seed,
        };
        command.SetAction(parse =>
        {
            var options = new TrainingStepBenchmarkOptions
            {
                Model = defaults.Model with
                {
                    DModel = parse.GetValue(dModel),
                    DKv = parse.GetValue(dKv),
                    NumHeads = parse.GetValue(heads),
                    DFf = parse.GetValue(dFf),
                    NumLayers = parse.GetValue(layers),
                    NumDecoderLayers = parse.GetValue(decoderLayers),
                    VocabSize = parse.GetValue(vocab),
                    Attention = Enum.Parse<NanoT5.Model.AttentionKind>(parse.GetValue(attention)!, ignoreCase: true),
                },
                Batch = parse.GetValue(batch),
                InputLength = parse.GetValue(inputLength),
                TargetLength = parse.GetValue(targetLength),
                Steps = parse.GetValue(steps),
                WarmupSteps = parse.GetValue(warmup),
                Threads = parse.GetValue(threads),
                Optimizer = parse.GetValue(optimizer)!,
                FlushDenormals = parse.GetValue(flushDenormals),
                Device = parse.GetValue(device)!,
                Precision = Enum.Parse<NanoT5.Config.Precision>(parse.GetValue(precision)!, ignoreCase: true),
                Bf16Residual = parse.GetValue(residual) == "bf16",
                Seed = parse.GetValue(seed),
            };
            TrainingStepBenchmarkResult result = TrainingStepBenchmark.Run(options, Console.Out);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"tokens_per_s={result.TokensPerSecond:F1} s_per_step={result.SecondsPerStep:F4} peak_rss_mb={result.PeakRssMb:F0}"));
            return 0;
        });
        return command;
    }
}
