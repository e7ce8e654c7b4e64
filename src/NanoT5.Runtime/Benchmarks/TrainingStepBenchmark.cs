// Measures one training step (forward, backward, clip, optimizer) on random batches, warm-up excluded.
using System.Diagnostics;
using System.Globalization;
using NanoT5.Config;
using NanoT5.Model;
using NanoT5.Native;
using NanoT5.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Benchmarks;

/// <summary>What to measure; defaults are the issue's "tiny CPU" config.</summary>
public sealed record TrainingStepBenchmarkOptions
{
    public T5Config Model { get; init; } = T5Presets.Get("tiny");

    public int Batch { get; init; } = 8;

    public int InputLength { get; init; } = 128;

    public int TargetLength { get; init; } = 32;

    public int Steps { get; init; } = 10;

    public int WarmupSteps { get; init; } = 3;

    public int Threads { get; init; }

    public string Optimizer { get; init; } = "adamwscale";

    public bool FlushDenormals { get; init; } = true;

    public string Device { get; init; } = "cpu";

    /// <summary>fp32; tf32 (TF32 tensor-core matmuls on CUDA); bf16 (bf16 autocast matmuls, TF32 for what stays fp32).</summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>With bf16: the residual stream in bf16 too (nanoT5's is_bf16), not only the matmuls.</summary>
    public bool Bf16Residual { get; init; }

    public int Seed { get; init; } = 2137;
}

/// <summary>Medians over the measured steps.</summary>
public sealed record TrainingStepBenchmarkResult(double SecondsPerStep, double TokensPerSecond, double PeakRssMb, double ForwardSeconds, double BackwardSeconds, double OptimizerSeconds);

/// <summary>The bench verb's measurement.</summary>
public static class TrainingStepBenchmark
{
    public static TrainingStepBenchmarkResult Run(TrainingStepBenchmarkOptions options, TextWriter log)
    {
        if (options.Bf16Residual && options.Precision != Precision.Bf16)
        {
            throw new ArgumentException($"--residual bf16 needs --precision bf16 (got {options.Precision.ToString().ToLowerInvariant()}): the residual stream takes the autocast dtype.");
        }

        Device device = DeviceSelector.Resolve(options.Device);
        // Before the thread pool exists, so its threads inherit the flag.
        bool flushed = options.FlushDenormals && TorchNative.SetFlushDenormal(true);
        TorchNative.SetThreads(options.Threads);
        if (device.type == DeviceType.CUDA)
        {
            TorchNative.SetAllowTf32(options.Precision is Precision.Tf32 or Precision.Bf16);
        }

        ScalarType? autocast = options.Precision == Precision.Bf16 ? ScalarType.BFloat16 : null;
        torch.manual_seed(options.Seed);

        using var model = new T5ForConditionalGeneration(options.Model);
        model.InitializeWeights();
        model.to(device);
        model.train();
        var named = model.named_parameters().ToList();
        long parameterCount = named.Sum(p => p.parameter.NumberOfElements);
        OptimizerKind kind = Enum.TryParse(options.Optimizer, ignoreCase: true, out OptimizerKind parsed)
            ? parsed
            : throw new ArgumentException($"--optimizer must be adamwscale, adamw or adafactor (got '{options.Optimizer}').");
        using IOptimizer optimizer = OptimizerFactory.Create(new OptimizerSettings { Name = kind }, named);

        var generator = new torch.Generator((ulong)options.Seed);
        using Tensor inputIds = randint(2, options.Model.VocabSize, [options.Batch, options.InputLength], generator: generator).to(device);
        using Tensor attentionMask = ones_like(inputIds);
        using Tensor labels = randint(2, options.Model.VocabSize, [options.Batch, options.TargetLength], generator: generator).to(device);
        long tokensPerStep = (long)options.Batch * (options.InputLength + options.TargetLength);

        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: {parameterCount / 1e6:F1}M parameters, batch {options.Batch}, input {options.InputLength}, target {options.TargetLength}, " +
            $"{torch.get_num_threads()} threads, {options.Optimizer}, device {device}, {options.Precision.ToString().ToLowerInvariant()}{(options.Bf16Residual ? " (bf16 residual stream)" : string.Empty)}, " +
            $"attention {options.Model.Attention.ToString().ToLowerInvariant()}, denormals {(flushed ? "flushed to zero" : "kept")}"));

        var total = new List<double>();
        var forward = new List<double>();
        var backward = new List<double>();
        var optimizerTimes = new List<double>();
        for (int step = 0; step < options.WarmupSteps + options.Steps; step++)
        {
            var watch = Stopwatch.StartNew();
            double f, b;
            using (var scope = NewDisposeScope())
            using (Autocast.Enable(autocast, options.Bf16Residual))
            {
                Tensor loss = model.forward(inputIds, attentionMask, labels).Loss;
                Synchronize(device);
                f = watch.Elapsed.TotalSeconds;
                loss.backward();
                Synchronize(device);
                b = watch.Elapsed.TotalSeconds - f;
                GradientClipping.ClipGlobalNorm(named.Select(p => (Tensor)p.parameter), 1.0);
                optimizer.Step(1e-3);
                model.zero_grad();
                Synchronize(device);
            }

            FinalizableHandles.Release();
            double seconds = watch.Elapsed.TotalSeconds;
            bool measured = step >= options.WarmupSteps;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"step {step + 1}{(measured ? string.Empty : " (warm-up)")}: {seconds:F3} s (forward {f:F3}, backward {b:F3}, optimizer {seconds - f - b:F3}), rss {ProcessMemory.ResidentMb():F0} MB"));
            if (measured)
            {
                total.Add(seconds);
                forward.Add(f);
                backward.Add(b);
                optimizerTimes.Add(seconds - f - b);
            }
        }

        double median = Median(total);
        return new TrainingStepBenchmarkResult(median, tokensPerStep / median, ProcessMemory.PeakResidentMb(), Median(forward), Median(backward), Median(optimizerTimes));
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA)
        {
            torch.cuda.synchronize(device);
        }
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
