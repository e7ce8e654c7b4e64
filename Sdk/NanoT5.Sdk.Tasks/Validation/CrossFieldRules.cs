// Rules that involve more than one property. A rule is skipped while one of its inputs is unreadable (that input
// already has its own NT1xxx error).
using System.Globalization;
using NanoT5.Config;
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Settings;
using static NanoT5.Sdk.Settings.SettingCatalog;

namespace NanoT5.Sdk.Validation;

internal static class CrossFieldRules
{
    public static IEnumerable<Finding> Check(ExperimentSettings s)
    {
        if (s.Get<int>(BatchSize) is int batch && s.Get<int>(GradAcc) is int acc && batch % acc != 0)
        {
            int lower = batch - (batch % acc);
            string near = lower > 0 ? $"{lower} or {lower + acc}" : $"{acc}";
            yield return new Finding(
                DiagnosticCodes.BatchNotDivisible,
                $"{BatchSize.Property} ({batch}) must be divisible by {GradAcc.Property} ({acc}): each optimizer step splits the batch into equal micro-batches (e.g. {BatchSize.Property} {near}).",
                BatchSize.Property,
                GradAcc.Property);
        }

        if (s.Get<int>(BatchSize) is int rows && s.Get<int>(GradAcc) is int micro && micro > 0 && s.Get<int>(Processes) is int processes && processes > rows / micro)
        {
            yield return new Finding(
                DiagnosticCodes.MoreProcessesThanRows,
                $"{Processes.Property} ({processes}) is above the rows of one micro-batch ({BatchSize.Property} {rows} / {GradAcc.Property} {micro} = {rows / micro}): each process trains on its share of every micro-batch's rows, so every process needs at least one. Lower {Processes.Property} or {GradAcc.Property}, or raise {BatchSize.Property}.",
                Processes.Property,
                BatchSize.Property);
        }

        int epochs = s.Get<int>(Epochs) ?? 0;
        if (s.Get<int>(TotalSteps) is int steps && s.Get<int>(WarmupSteps) is int warmup && s.Choice(Schedule) == "cosine" && epochs == 0 && steps > 0 && warmup >= steps)
        {
            yield return new Finding(
                DiagnosticCodes.WarmupTooLong,
                $"{WarmupSteps.Property} ({warmup}) must be below {TotalSteps.Property} ({steps}) for the cosine schedule.",
                WarmupSteps.Property,
                TotalSteps.Property);
        }

        if (s.Get<int>(TotalSteps) == 0 && epochs == 0)
        {
            yield return new Finding(
                DiagnosticCodes.NoStepsNorEpochs,
                $"{TotalSteps.Property} is 0 and {Epochs.Property} is 0: set {TotalSteps.Property} (optimizer steps) or {Epochs.Property} (passes over the data) to a positive integer.",
                TotalSteps.Property,
                Epochs.Property);
        }

        if (s.Choice(Precision) == "bf16" && s.Text(Device) is string device && !device.StartsWith("cuda", StringComparison.Ordinal))
        {
            yield return new Finding(
                DiagnosticCodes.Bf16NeedsCuda,
                $"{Precision.Property} bf16 needs a CUDA device ({Device.Property} is '{device}'): use fp32 on cpu, or {Device.Property} cuda.",
                Precision.Property,
                Device.Property);
        }

        foreach (Finding f in SpanRules(s))
        {
            yield return f;
        }

        foreach (Finding f in RequiredByChoice(s))
        {
            yield return f;
        }

        if (s.IsSet(ModelConfig) && s.IsSet(ModelPreset))
        {
            yield return new Finding(
                DiagnosticCodes.ConfigOverridesPreset,
                $"{ModelConfig.Property} overrides {ModelPreset.Property} ('{s[ModelPreset].Text}' is not used); remove one of them.",
                ModelPreset.Property,
                ModelConfig.Property);
        }

        if (s.Choice(Tokenizer) == "gpt2" && s.IsSet(TokenizerPath))
        {
            yield return new Finding(
                DiagnosticCodes.TokenizerPathIgnored,
                $"{TokenizerPath.Property} is ignored by {Tokenizer.Property} gpt2 (its vocabulary ships in a NuGet package); remove it or use {Tokenizer.Property} sentencepiece.",
                TokenizerPath.Property,
                Tokenizer.Property);
        }

        if (s.Choice(Schedule) == "legacy" && s.IsSet(LearningRate))
        {
            yield return new Finding(
                DiagnosticCodes.LegacyIgnoresLearningRate,
                $"{LearningRate.Property} is ignored by {Schedule.Property} legacy (T5's inverse square root, min(1e-2, 1/sqrt(step))); remove it or use {Schedule.Property} cosine.",
                LearningRate.Property,
                Schedule.Property);
        }
    }

    // Data the run needs, and settings that another setting's choice makes mandatory.
    private static IEnumerable<Finding> RequiredByChoice(ExperimentSettings s)
    {
        if (s.Mode == "pretrain" && !s.IsSet(TrainSources))
        {
            yield return new Finding(
                DiagnosticCodes.PretrainNeedsSources,
                $"Pretraining needs {TrainSources.Property}: {TrainSources.Allowed}.",
                TrainSources.Property,
                Mode.Property);
        }

        if (s.IsFinetuneLike && !s.IsSet(FinetuneData))
        {
            yield return new Finding(
                DiagnosticCodes.FinetuneNeedsData,
                $"Mode {s.Mode} needs {FinetuneData.Property}: a Super-Natural Instructions folder (with splits/ and tasks/) or {string.Join(", ", FinetuneBuiltins)}.",
                FinetuneData.Property,
                Mode.Property);
        }

        if (s.Choice(Tokenizer) == "sentencepiece" && !s.IsSet(TokenizerPath))
        {
            yield return new Finding(
                DiagnosticCodes.SentencePieceNeedsPath,
                $"{Tokenizer.Property} sentencepiece needs {TokenizerPath.Property} (the spiece.model file), or use {Tokenizer.Property} gpt2.",
                TokenizerPath.Property,
                Tokenizer.Property);
        }

        if (s.Choice(Tracker) == "mlflow" && !s.IsSet(TrackerUrl))
        {
            yield return new Finding(
                DiagnosticCodes.MlflowNeedsUrl,
                $"{Tracker.Property} mlflow needs {TrackerUrl.Property} (e.g. http://127.0.0.1:5000).",
                TrackerUrl.Property,
                Tracker.Property);
        }
    }

    // T5's length arithmetic must give rows of exactly the input length, with a sentinel per span.
    private static IEnumerable<Finding> SpanRules(ExperimentSettings s)
    {
        if (s.Mode is not ("pretrain" or "evaluate") || s.IsFinetuneLike ||
            s.Get<int>(InputLength) is not int length || s.Get<double>(NoiseDensity) is not double density || s.Get<double>(MeanNoiseSpanLength) is not double span)
        {
            yield break;
        }

        var lengths = SpanCorruptionLengths.Compute(length, density, span);
        string setting = $"{InputLength.Property} {length} with {NoiseDensity.Property} {Format(density)} and {MeanNoiseSpanLength.Property} {Format(span)}";
        if (!lengths.RowsHaveRequestedLengths)
        {
            int? near = Nearest(length, candidate => SpanCorruptionLengths.Compute(candidate, density, span) is { RowsHaveRequestedLengths: true, FitsSentinels: true });
            string hint = near is int n ? $"e.g. {InputLength.Property} {n}" : $"e.g. a {MeanNoiseSpanLength.Property} above 1";
            yield return new Finding(
                DiagnosticCodes.SpanLengthsUnsatisfiable,
                $"{setting}: span corruption cannot make rows of exactly {length} tokens (T5's arithmetic gives {lengths.RowInputLength} input and {lengths.RowTargetLength} target tokens from {lengths.TokensLength}); choose another length ({hint}).",
                InputLength.Property,
                NoiseDensity.Property,
                MeanNoiseSpanLength.Property);
        }
        else if (!lengths.FitsSentinels)
        {
            int? below = Nearest(length, candidate => candidate < length && SpanCorruptionLengths.Compute(candidate, density, span) is { RowsHaveRequestedLengths: true, FitsSentinels: true });
            string hint = below is int b ? $"{InputLength.Property} {b} or less" : $"a longer {MeanNoiseSpanLength.Property}";
            yield return new Finding(
                DiagnosticCodes.TooManySpans,
                $"{setting}: {lengths.NoiseSpans} noise spans per row need more than the tokenizer's {SpanCorruptionLengths.MaxSentinels} sentinels; use {hint}, or a longer {MeanNoiseSpanLength.Property}.",
                InputLength.Property,
                MeanNoiseSpanLength.Property);
        }
    }

    // The closest input length (searching outwards, lower first) that passes the check.
    private static int? Nearest(int length, Func<int, bool> ok)
    {
        for (int delta = 1; delta <= length; delta++)
        {
            if (length - delta >= 8 && ok(length - delta))
            {
                return length - delta;
            }

            if (delta <= 64 && ok(length + delta))
            {
                return length + delta;
            }
        }

        return null;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
