// Runtime-side checks of an ExperimentConfig (the SDK runs the same rules at build time with codes and
// file/line locations; this catches configs that arrive as JSON or from code).
using NanoT5.Model;

namespace NanoT5.Config;

/// <summary>One problem: the snake_case path of the setting and what is wrong.</summary>
public sealed record ConfigProblem(string Setting, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Setting}: {Message}";
}

/// <summary>Validates an <see cref="ExperimentConfig"/>.</summary>
public static class ExperimentConfigValidation
{
    /// <summary>Every problem found (empty when the config can run).</summary>
    public static IReadOnlyList<ConfigProblem> Problems(ExperimentConfig config)
    {
        var problems = new List<ConfigProblem>();
        void Check(bool ok, string setting, string message)
        {
            if (!ok)
            {
                problems.Add(new ConfigProblem(setting, message));
            }
        }

        Check(!string.IsNullOrWhiteSpace(config.Name), "name", "must not be empty");
        Check(!string.IsNullOrWhiteSpace(config.RunDirectory), "run_directory", "must not be empty");
        Check(config.Threads >= 0, "threads", $"must be 0 (all cores) or positive (got {config.Threads})");
        Check(IsDevice(config.Device), "device", $"must be cpu, cuda or cuda:N (got '{config.Device}')");
        Check(config.Precision != Precision.Bf16 || config.Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase),
            "precision", "bf16 mixed precision needs a CUDA device; use fp32 on cpu");

        ModelSettings model = config.Model;
        Check(!string.IsNullOrWhiteSpace(model.ConfigPath) || T5Presets.Names.Contains(model.Preset, StringComparer.OrdinalIgnoreCase),
            "model.preset", $"unknown preset '{model.Preset}' (known: {string.Join(", ", T5Presets.Names)})");
        Check(model.Dropout is >= 0 and < 1, "model.dropout", $"must be in [0, 1) (got {model.Dropout})");

        Check(config.Tokenizer.Kind != TokenizerKind.SentencePiece || !string.IsNullOrWhiteSpace(config.Tokenizer.Path),
            "tokenizer.path", "a SentencePiece tokenizer needs the path of its spiece.model");

        OptimizerSettings optim = config.Optim;
        Check(optim.BaseLr > 0, "optim.base_lr", $"must be positive (got {optim.BaseLr})");
        Check(optim.BatchSize > 0, "optim.batch_size", $"must be positive (got {optim.BatchSize})");
        Check(optim.GradAcc > 0, "optim.grad_acc", $"must be positive (got {optim.GradAcc})");
        Check(optim.GradAcc <= 0 || optim.BatchSize % optim.GradAcc == 0, "optim.batch_size",
            $"must be divisible by grad_acc ({optim.BatchSize} rows cannot be split into {optim.GradAcc} equal micro-batches)");
        Check(optim.TotalSteps > 0 || optim.Epochs > 0, "optim.total_steps", "must be positive unless epochs is set");
        Check(optim.Epochs >= 0, "optim.epochs", $"must be 0 (use total_steps) or positive (got {optim.Epochs})");
        Check(optim.WarmupSteps >= 0, "optim.warmup_steps", $"must not be negative (got {optim.WarmupSteps})");
        Check(optim.Schedule != ScheduleKind.Cosine || optim.Epochs > 0 || optim.WarmupSteps < optim.TotalSteps,
            "optim.warmup_steps", $"must be below total_steps for the cosine schedule ({optim.WarmupSteps} >= {optim.TotalSteps})");
        Check(optim.FinalCosine >= 0, "optim.final_cosine", $"must not be negative (got {optim.FinalCosine})");
        Check(optim.WeightDecay >= 0, "optim.weight_decay", $"must not be negative (got {optim.WeightDecay})");
        Check(optim.GradClip >= 0, "optim.grad_clip", $"must be 0 (off) or positive (got {optim.GradClip})");
        Check(optim.MaxConsecutiveSkippedSteps > 0, "optim.max_consecutive_skipped_steps", $"must be positive (got {optim.MaxConsecutiveSkippedSteps})");

        if (config.Mode is RunMode.Pretrain or RunMode.Evaluate && !config.UsesFinetuneData())
        {
            DataSettings data = config.Data;
            Check(data.TrainSources.Count > 0 || config.Mode == RunMode.Evaluate, "data.train_sources", "pretraining needs at least one training source");
            Check(data.InputLength >= 8, "data.input_length", $"must be at least 8 tokens (got {data.InputLength})");
            Check(data.NoiseDensity is > 0 and < 1, "data.noise_density", $"must be in (0, 1) (got {data.NoiseDensity})");
            Check(data.MeanNoiseSpanLength >= 1, "data.mean_noise_span_length", $"must be at least 1 (got {data.MeanNoiseSpanLength})");
            Check(data.ShuffleBuffer >= 1, "data.shuffle_buffer", $"must be at least 1 (got {data.ShuffleBuffer})");
            Check(data.Workers >= 0, "data.workers", $"must be 0 (one per core) or positive (got {data.Workers})");
            Check(data.MaxBadDataFraction is >= 0 and <= 1, "data.max_bad_data_fraction", $"must be in [0, 1] (got {data.MaxBadDataFraction})");
            if (data.InputLength >= 8 && data.NoiseDensity is > 0 and < 1 && data.MeanNoiseSpanLength >= 1)
            {
                // The SDK checks the same arithmetic at build time (NT2004, NT2011).
                var lengths = SpanCorruptionLengths.Compute(data.InputLength, data.NoiseDensity, data.MeanNoiseSpanLength);
                Check(lengths.RowsHaveRequestedLengths, "data.input_length",
                    $"span corruption cannot make rows of exactly {data.InputLength} tokens with noise density {data.NoiseDensity} and mean span length " +
                    $"{data.MeanNoiseSpanLength} (T5's arithmetic gives {lengths.RowInputLength} input tokens); choose another input length");
                Check(lengths.FitsSentinels, "data.input_length",
                    $"{lengths.NoiseSpans} noise spans per row need more than the tokenizer's {SpanCorruptionLengths.MaxSentinels} sentinels; " +
                    "use a shorter input length or a longer mean span length");
            }
            Check(data.DocumentsPerChunk >= 1, "data.documents_per_chunk", $"must be at least 1 (got {data.DocumentsPerChunk})");
            Check(data.HttpRetries >= 0, "data.http_retries", $"must not be negative (got {data.HttpRetries})");
        }

        if (config.UsesFinetuneData())
        {
            FinetuneSettings ft = config.Finetune;
            Check(!string.IsNullOrWhiteSpace(ft.DataDirectory), "finetune.data_directory", "fine-tuning needs a Super-Natural Instructions folder (or builtin:demo)");
            Check(ft.MaxInstancesPerTask > 0, "finetune.max_instances_per_task", $"must be positive (got {ft.MaxInstancesPerTask})");
            Check(ft.MaxSourceLength > 0, "finetune.max_source_length", $"must be positive (got {ft.MaxSourceLength})");
            Check(ft.MaxTargetLength > 0, "finetune.max_target_length", $"must be positive (got {ft.MaxTargetLength})");
            Check(ft.NumPositiveExamples >= 0, "finetune.num_positive_examples", $"must not be negative (got {ft.NumPositiveExamples})");
            Check(ft.NumNegativeExamples >= 0, "finetune.num_negative_examples", $"must not be negative (got {ft.NumNegativeExamples})");
        }

        Check(config.Eval.EverySteps > 0, "eval.every_steps", $"must be positive (got {config.Eval.EverySteps})");
        Check(config.Eval.Steps > 0, "eval.steps", $"must be positive (got {config.Eval.Steps})");
        Check(config.Logging.EverySteps > 0, "logging.every_steps", $"must be positive (got {config.Logging.EverySteps})");
        Check(config.Checkpoint.EverySteps > 0, "checkpoint.every_steps", $"must be positive (got {config.Checkpoint.EverySteps})");
        Check(config.Checkpoint.KeepLast > 0, "checkpoint.keep_last", $"must keep at least one checkpoint (got {config.Checkpoint.KeepLast})");

        TrackerSettings tracker = config.Tracker;
        if (tracker.Kind == TrackerKind.MLflow)
        {
            Check(Uri.TryCreate(tracker.Url, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps),
                "tracker.url", $"the MLflow tracker needs an http(s) URL (got '{tracker.Url}')");
        }

        Check(tracker.DrainSeconds >= 0, "tracker.drain_seconds", $"must not be negative (got {tracker.DrainSeconds})");
        Check(tracker.SendIntervalSeconds > 0, "tracker.send_interval_seconds", $"must be positive (got {tracker.SendIntervalSeconds})");
        Check(tracker.RequestTimeoutSeconds > 0, "tracker.request_timeout_seconds", $"must be positive (got {tracker.RequestTimeoutSeconds})");
        Check(IsVariableName(tracker.TokenVariable), "tracker.token_variable",
            $"must be an environment variable name (letters, digits and _, not starting with a digit) (got '{tracker.TokenVariable}')");
        return problems;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> listing every problem, prefixed by <paramref name="source"/>.</summary>
    public static void ThrowIfInvalid(ExperimentConfig config, string source)
    {
        IReadOnlyList<ConfigProblem> problems = Problems(config);
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{source}: invalid experiment config:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        }
    }

    private static bool IsVariableName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => c == '_' || char.IsAsciiLetterOrDigit(c));

    private static bool IsDevice(string device)
    {
        string d = device.Trim().ToLowerInvariant();
        return d == "cpu" || d == "cuda" || (d.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(d.AsSpan(5), out int n) && n >= 0);
    }
}
