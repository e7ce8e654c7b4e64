// Compares this project's T5 and AdamWScale against a golden fixture from the reference
// implementation, value by value, with the tolerances the fixture format documents.
using NanoT5.Checkpoints;
using NanoT5.Model;
using NanoT5.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Verification;

/// <summary>How a value is compared.</summary>
public enum ToleranceKind
{
    /// <summary>Integers: must be identical.</summary>
    Exact,

    /// <summary>Max absolute difference of all elements.</summary>
    Absolute,

    /// <summary>|measured - expected| / |expected| of a scalar.</summary>
    Relative,
}

/// <summary>One compared value.</summary>
public sealed record ParityResult(string Name, double MaxAbsDiff, double Measured, ToleranceKind Kind, double Tolerance)
{
    /// <summary>Whether the value is within its tolerance.</summary>
    public bool Passed => Kind switch
    {
        ToleranceKind.Exact => MaxAbsDiff == 0,
        _ => Measured <= Tolerance,
    };
}

/// <summary>Tolerances (fp32) from the fixture README.</summary>
public sealed record ParityTolerances
{
    public double EncoderHiddenStatesAbs { get; init; } = 1e-5;

    public double LogitsAbs { get; init; } = 1e-4;

    public double LossRel { get; init; } = 1e-5;

    public double GradNormRel { get; init; } = 1e-5;

    public double GradAbs { get; init; } = 1e-6;

    public double AfterStepAbs { get; init; } = 1e-5;

    /// <summary>Every tolerance multiplied by <paramref name="factor"/>.</summary>
    public ParityTolerances Scaled(double factor) => new()
    {
        EncoderHiddenStatesAbs = EncoderHiddenStatesAbs * factor,
        LogitsAbs = LogitsAbs * factor,
        LossRel = LossRel * factor,
        GradNormRel = GradNormRel * factor,
        GradAbs = GradAbs * factor,
        AfterStepAbs = AfterStepAbs * factor,
    };

    /// <summary>
    /// bf16 autocast against the fp32 golden values. bf16 keeps 8 significant bits: one rounding is off by up to
    /// u = 2^-8 = 3.9e-3 of the value. Each autocast matmul rounds both operands and its result (3u), and an element
    /// of the encoder output sits behind ~6 such matmuls per layer pair with the residual sum and RMS norm in fp32,
    /// so its error is bounded by ~20u of the largest activation: 20 x 3.9e-3 x 5 (|h| here) ~ 0.4 absolute; logits
    /// (|x| ~ 29, one more rounded matmul through lm_head) get 25u x 29 ~ 2.8. The loss is a mean over tokens whose
    /// per-logit errors partly cancel: 2u relative. The gradient norm sums squares of bf16-path gradients: 4u.
    /// These are a-priori bounds for a correct bf16 path, not noise levels (on CPU the measured differences are 5-60x smaller).
    /// </summary>
    public static ParityTolerances Bf16 { get; } = new()
    {
        EncoderHiddenStatesAbs = 0.4,
        LogitsAbs = 2.8,
        LossRel = 2 * 3.9e-3,
        GradNormRel = 4 * 3.9e-3,
    };
}

/// <summary>Runs every comparison a fixture supports.</summary>
public static class ParityCheck
{
    /// <summary>
    /// Loads the fixture's model and compares buckets, forward, backward and one optimizer step, on
    /// <paramref name="device"/> (default CPU). With <paramref name="autocast"/> (bf16) the forward runs in that dtype
    /// and the comparison stops after the gradient norm, with <see cref="ParityTolerances.Bf16"/> unless given.
    /// <paramref name="attention"/> sdpa checks the fused attention against the same golden values as the eager one.
    /// </summary>
    public static IReadOnlyList<ParityResult> Run(string folder, ParityTolerances? tolerances = null, Device? device = null, ScalarType? autocast = null, AttentionKind attention = AttentionKind.Eager)
    {
        tolerances ??= autocast is null ? new ParityTolerances() : ParityTolerances.Bf16;
        device ??= CPU;
        using var fixture = ParityFixture.Load(folder);
        using var scope = NewDisposeScope();
        using var precision = Autocast.Enable(autocast);
        var results = new List<ParityResult>();
        T5ForConditionalGeneration model = HfCheckpoint.LoadModel(folder, attention: attention);
        model.to(device);
        model.train();

        Tensor inputIds = fixture.InputTensor("input_ids").to(device);
        Tensor attentionMask = fixture.InputTensor("attention_mask").to(device);
        Tensor labels = fixture.InputTensor("labels").to(device);
        T5Config config = model.Config;

        foreach (var (name, bidirectional) in new[] { ("relative_position_bucket_bidirectional", true), ("relative_position_bucket_unidirectional", false) })
        {
            if (fixture.ExpectedTensors.TryGetValue(name, out Tensor? expectedBuckets))
            {
                Tensor buckets = RelativePositionBuckets.Compute(
                    expectedBuckets.shape[0], expectedBuckets.shape[1], bidirectional, config.RelativeAttentionNumBuckets, config.RelativeAttentionMaxDistance, CPU);
                results.Add(Compare(name, buckets, expectedBuckets, ToleranceKind.Exact, 0));
            }
        }

        if (fixture.Inputs.ContainsKey("decoder_input_ids"))
        {
            results.Add(Compare("decoder_input_ids", model.ShiftRight(labels), fixture.InputTensor("decoder_input_ids"), ToleranceKind.Exact, 0));
        }

        Tensor encoded = model.Encode(inputIds, attentionMask);
        if (fixture.ExpectedTensors.TryGetValue("encoder_hidden_states", out Tensor? expectedEncoded))
        {
            results.Add(Compare("encoder_hidden_states", encoded, expectedEncoded, ToleranceKind.Absolute, tolerances.EncoderHiddenStatesAbs));
        }

        Tensor logits = model.Decode(model.ShiftRight(labels), encoded, attentionMask);
        if (fixture.ExpectedTensors.TryGetValue("logits", out Tensor? expectedLogits))
        {
            results.Add(Compare("logits", logits, expectedLogits, ToleranceKind.Absolute, tolerances.LogitsAbs));
        }

        Tensor loss = T5ForConditionalGeneration.Loss(logits, labels);
        results.Add(CompareScalar("loss", loss.item<float>(), fixture.ExpectedScalar("loss"), tolerances.LossRel));

        loss.backward();
        var parameters = model.named_parameters().ToList();
        foreach (var (name, parameter) in parameters)
        {
            if (autocast is null && fixture.ExpectedTensors.TryGetValue("grad." + name, out Tensor? expectedGrad))
            {
                results.Add(Compare("grad." + name, parameter.grad!, expectedGrad, ToleranceKind.Absolute, tolerances.GradAbs));
            }
        }

        if (!fixture.HasExpected("optimizer"))
        {
            return results;
        }

        double maxNorm = fixture.ExpectedScalar("optimizer.grad_clip_max_norm");
        double gradNorm = GradientClipping.ClipGlobalNorm(parameters.Select(p => (Tensor)p.parameter), maxNorm);
        results.Add(CompareScalar("grad_norm_before_clip", gradNorm, fixture.ExpectedScalar("grad_norm_before_clip"), tolerances.GradNormRel));
        if (autocast is not null)
        {
            return results; // The optimizer step itself is fp32 either way; fp32 parity covers it.
        }

        var options = new AdamWScaleOptions
        {
            Betas = (fixture.ExpectedScalar("optimizer.betas.0"), fixture.ExpectedScalar("optimizer.betas.1")),
            Eps = fixture.ExpectedScalar("optimizer.eps"),
        };
        double weightDecay = fixture.ExpectedScalar("optimizer.weight_decay");
        using (var optimizer = new AdamWScale(parameters.Select(p => new OptimizedParameter(p.name, p.parameter, weightDecay)).ToList(), options))
        {
            optimizer.Step(fixture.ExpectedScalar("optimizer.lr"));
        }

        foreach (var (name, parameter) in parameters)
        {
            if (fixture.ExpectedTensors.TryGetValue("after_step." + name, out Tensor? expectedAfter))
            {
                results.Add(Compare("after_step." + name, parameter, expectedAfter, ToleranceKind.Absolute, tolerances.AfterStepAbs));
            }
        }

        using (no_grad())
        {
            Tensor lossAfter = model.forward(inputIds, attentionMask, labels).Loss;
            results.Add(CompareScalar("loss_after_step", lossAfter.item<float>(), fixture.ExpectedScalar("loss_after_step"), tolerances.LossRel));
        }

        return results;
    }

    private static ParityResult Compare(string name, Tensor actual, Tensor expected, ToleranceKind kind, double tolerance)
    {
        if (!actual.shape.SequenceEqual(expected.shape))
        {
            return new ParityResult($"{name} (shape [{string.Join(",", actual.shape)}] vs [{string.Join(",", expected.shape)}])", double.PositiveInfinity, double.PositiveInfinity, ToleranceKind.Absolute, tolerance);
        }

        using var scope = NewDisposeScope();
        double diff = (actual.detach().cpu().to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs().max().item<double>();
        return new ParityResult(name, diff, diff, kind, tolerance);
    }

    private static ParityResult CompareScalar(string name, double actual, double expected, double relTolerance)
    {
        double diff = Math.Abs(actual - expected);
        return new ParityResult(name, diff, diff / Math.Max(Math.Abs(expected), double.Epsilon), ToleranceKind.Relative, relTolerance);
    }
}
