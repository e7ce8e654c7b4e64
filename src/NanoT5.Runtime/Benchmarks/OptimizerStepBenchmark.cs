// Times the optimizer step alone on a model's real parameter shapes (no forward or backward):
// random gradients, the clip coefficient folded in, warm-up excluded, median reported.
using System.Diagnostics;
using System.Globalization;
using NanoT5.Config;
using NanoT5.Model;
using NanoT5.Native;
using NanoT5.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoT5.Benchmarks;

/// <summary>The bench-optimizer verb's measurement.</summary>
public static class OptimizerStepBenchmark
{
    /// <summary>Median seconds per optimizer step for <paramref name="config"/>'s parameter shapes.</summary>
    public static double Run(T5Config config, OptimizerKind kind, bool allowFused, int steps, int warmup, string deviceName, TextWriter log)
    {
        Device device = DeviceSelector.Resolve(deviceName);
        TorchNative.SetFlushDenormal(true);
        torch.manual_seed(0);
        using var model = new T5ForConditionalGeneration(config);
        model.to(device);
        var named = model.named_parameters().ToList();
        using IOptimizer optimizer = CreateOptimizer(named, kind, allowFused);
        using (no_grad())
        {
            foreach (Parameter p in model.parameters())
            {
                p.grad = randn_like(p).mul_(1e-3).DetachFromDisposeScope();
            }
        }

        long count = named.Sum(p => p.parameter.NumberOfElements);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench-optimizer: {kind.ToString().ToLowerInvariant()}, {count / 1e6:F1}M parameters in {named.Count} tensors, {torch.get_num_threads()} threads, device {device}, fused CPU kernel {(allowFused ? "allowed" : "off")}"));
        var times = new List<double>();
        for (int step = 0; step < warmup + steps; step++)
        {
            var watch = Stopwatch.StartNew();
            optimizer.Step(1e-3, gradScale: 0.5);
            if (device.type == DeviceType.CUDA)
            {
                torch.cuda.synchronize(device);
            }

            FinalizableHandles.Release();
            if (step >= warmup)
            {
                times.Add(watch.Elapsed.TotalSeconds);
            }
        }

        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>
    /// The optimizer timed for <paramref name="kind"/>: the one training builds (<see cref="OptimizerFactory"/>, so a
    /// new optimizer is benchmarked as itself), with weight decay 0 for every tensor.
    /// </summary>
    public static IOptimizer CreateOptimizer(IEnumerable<(string Name, Parameter Parameter)> parameters, OptimizerKind kind, bool allowFused) =>
        OptimizerFactory.Create(new OptimizerSettings { Name = kind, WeightDecay = 0 }, parameters, allowFused);
}
