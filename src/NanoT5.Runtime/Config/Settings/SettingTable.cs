// Every setting of an experiment, the one truth: the runtime's typed records (their properties, types, defaults, JSON
// names and docs: Config/Generated/) and ConfigSettingValues' accessor, Sdk/NanoT5.Settings.targets, Sdk/README.md's
// tables and the settings tables in docs/ are generated from it (`settings --write`); the runtime applies its
// fine-tuning defaults when a config is loaded; the SDK (this file compiled in by link) validates .t5proj properties
// with it. Defaults are nanoT5's configs/default.yaml and task/pt.yaml, fine-tuning defaults task/ft.yaml.
// Adding a setting: one entry here (ConfigPath Section.Property names its record property), then `settings --write`,
// plus its use. A comment above an entry says why, where the meaning does not.
using K = NanoT5.Config.Settings.SettingKind;

namespace NanoT5.Config.Settings;

/// <summary>Every setting, in README order.</summary>
#if NANOT5_SDK_TASKS
internal
#else
public
#endif
static class SettingTable
{
    /// <summary>The diagnostic code of a file or folder that must exist.</summary>
    public const string FileMissing = "NT1008";

    /// <summary>The diagnostic code of weights that an earlier run may still write.</summary>
    public const string InitFromMissing = "NT1009";

    private const string ConfigNamespace = "global::NanoT5.Config.";

    /// <summary>builtin: corpora the runtime ships (a test keeps them in step with the experiments that use them).</summary>
    public static readonly IReadOnlyList<string> PretrainBuiltins = ["builtin:dotnet-docs"];

    public static readonly IReadOnlyList<string> FinetuneBuiltins = ["builtin:demo"];

    /// <summary>NanoT5.Runtime's T5Presets names (a test compares them).</summary>
    public static readonly IReadOnlyList<string> ModelPresets = ["t5-v1_1-small", "t5-v1_1-base", "t5-v1_1-large", "t5-v1_1-xl", "t5-v1_1-xxl", "tiny", "mini"];

    public static readonly Setting Name = new("NanoT5Name", "Name", K.FolderName, "$(MSBuildProjectName)", "Experiment name: names the run folder and the tracker run.") { DefaultFromSdk = true, RecordDefault = "experiment", OnResume = ResumePolicy.MayChange };
    public static readonly Setting Mode = new("NanoT5Mode", "Mode", K.OneOf, "pretrain", "What Build, Validate and ShowConfig prepare; the Pretrain, Finetune, Evaluate and Predict targets use their own mode.")
    {
        Choices = Enum("RunMode", "Pretrain", "Finetune", "Evaluate", "Predict"),
    };

    public static readonly Setting Seed = new("NanoT5Seed", "Seed", K.Integer, "2137", "Seed of init, data order and span corruption.") { DataStream = true };
    public static readonly Setting Device = new("NanoT5Device", "Device", K.Device, "cpu", "cpu, cuda or cuda:N.") { OnResume = ResumePolicy.MayChange };
    public static readonly Setting Threads = new("NanoT5Threads", "Threads", K.Integer, "0", "Intra-op CPU threads; 0 = all cores.") { Minimum = 0, OnResume = ResumePolicy.MayChange };
    public static readonly Setting Precision = new("NanoT5Precision", "Precision", K.OneOf, "fp32", "fp32; tf32 (CUDA tensor cores, fp32 on CPU); bf16 mixed precision (CUDA only; nanoT5's GPU choice).")
    {
        Choices = Enum("Precision", "Fp32", "Tf32", "Bf16"),
    };

    // Empty: --libtorch or NANOT5_LIBTORCH, else the NuGet natives (TorchNative).
    public static readonly Setting LibTorch = new("NanoT5LibTorch", "LibTorch", K.Path, string.Empty, "Folder with your own libtorch and TorchSharp's shim built for it (eng/build-libtorchsharp.sh; build with NanoT5Backend=libtorch).") { MissingPathCode = FileMissing };
    public static readonly Setting RunDirectory = new("NanoT5RunDirectory", "RunDirectory", K.Path, "runs/$(NanoT5Name)", "Run folder (resolved config, metrics, checkpoints, exported model), relative to the project.") { DefaultFromSdk = true, RecordDefault = "runs/experiment", OnResume = ResumePolicy.MayChange };

    public static readonly Setting ModelPreset = new("NanoT5ModelPreset", "Model.Preset", K.OneOf, "t5-v1_1-base", "Architecture preset (NanoT5.Runtime's T5Presets).")
    {
        Choices = ModelPresets.Select(p => new Choice(p, Literal(p))).ToList(),
    };

    public static readonly Setting ModelConfig = new("NanoT5ModelConfig", "Model.ConfigPath", K.Path, string.Empty, "A HuggingFace config.json; overrides the preset.") { MissingPathCode = FileMissing, UnsetIsNull = true };
    public static readonly Setting InitFrom = new("NanoT5InitFrom", "Model.InitFrom", K.Path, string.Empty, "Initial weights: HF checkpoint folder, .safetensors/.bin file or a run folder; empty = random init.") { MissingPathCode = InitFromMissing, UnsetIsNull = true };
    // nanoT5 pretrains with 0.0; HF's configs say 0.1 for fine-tuning.
    public static readonly Setting Dropout = new("NanoT5Dropout", "Model.Dropout", K.Number, "0", "Dropout during training (nanoT5 uses 0).") { Minimum = 0, Maximum = 1, MaximumExclusive = true };
    // eager is the reference (HF's explicit scores); sdpa uses less memory on GPUs.
    public static readonly Setting Attention = new("NanoT5Attention", "Model.Attention", K.OneOf, "eager", "eager (explicit scores, as HF and nanoT5) or sdpa (one fused scaled_dot_product_attention call; docs/gpu.md).")
    {
        Choices = [new("eager", "global::NanoT5.Model.AttentionKind.Eager"), new("sdpa", "global::NanoT5.Model.AttentionKind.Sdpa")],
    };

    public static readonly Setting Tokenizer = new("NanoT5Tokenizer", "Tokenizer.Kind", K.OneOf, "sentencepiece", "sentencepiece (T5's spiece.model) or gpt2 (ships in a NuGet package, no download).")
    {
        Choices = Enum("TokenizerKind", "SentencePiece", "Gpt2"),
    };

    // Unused for GPT-2.
    public static readonly Setting TokenizerPath = new("NanoT5TokenizerPath", "Tokenizer.Path", K.Path, string.Empty, "spiece.model of a SentencePiece tokenizer.") { MissingPathCode = FileMissing, UnsetIsNull = true };

    public static readonly Setting TrainSources = new("NanoT5TrainSources", "Data.TrainSources", K.Sources, string.Empty, "Training data: files, globs, http(s) URLs or builtin:dotnet-docs, separated by ;.") { Builtins = PretrainBuiltins, MissingPathCode = FileMissing, OnResume = ResumePolicy.MayChange };
    public static readonly Setting ValidationSources = new("NanoT5ValidationSources", "Data.ValidationSources", K.Sources, string.Empty, "Validation data; empty with a builtin corpus = its validation split.") { Builtins = PretrainBuiltins, MissingPathCode = FileMissing, OnResume = ResumePolicy.MayChange };
    public static readonly Setting InputLength = new("NanoT5InputLength", "Data.InputLength", K.Integer, "512", "Encoder tokens per row after masking.") { Minimum = 8 };
    public static readonly Setting NoiseDensity = new("NanoT5NoiseDensity", "Data.NoiseDensity", K.Number, "0.15", "Share of tokens masked (nanoT5's mlm_probability).") { Minimum = 0, MinimumExclusive = true, Maximum = 1, MaximumExclusive = true };
    public static readonly Setting MeanNoiseSpanLength = new("NanoT5MeanNoiseSpanLength", "Data.MeanNoiseSpanLength", K.Number, "3", "Mean length of a masked span.") { Minimum = 1 };
    public static readonly Setting ShuffleBuffer = new("NanoT5ShuffleBuffer", "Data.ShuffleBuffer", K.Integer, "10000", "Rows in the seeded shuffle buffer.") { Minimum = 1 };
    public static readonly Setting DataWorkers = new("NanoT5DataWorkers", "Data.Workers", K.Integer, "0", "Parallel data preparation workers; 0 = one per core.") { Minimum = 0, OnResume = ResumePolicy.MayChange };
    // Bad records: corrupt or unreadable ones.
    public static readonly Setting MaxBadDataFraction = new("NanoT5MaxBadDataFraction", "Data.MaxBadDataFraction", K.Number, "0.01", "Share of unreadable records tolerated before the run stops.") { Minimum = 0, Maximum = 1, OnResume = ResumePolicy.MayChange };
    // The documents' tokens are concatenated and cut into rows together, the remainder dropped: nanoT5's
    // tokenize_function runs under HF datasets' map with its default batch of 1,000 documents.
    public static readonly Setting DocumentsPerChunk = new("NanoT5DocumentsPerChunk", "Data.DocumentsPerChunk", K.Integer, "1000", "Documents concatenated and cut into rows together (nanoT5: HF map's batch of 1,000).") { Minimum = 1 };
    // nanoT5 appends eos because HF's T5TokenizerFast adds it to every encoded text and its tokenize_function
    // encodes one document at a time. With one document per line the eos tokens are ~1% of the tokens and change the
    // objective, not just chunk boundaries.
    public static readonly Setting EosAfterDocument = new("NanoT5EosAfterDocument", "Data.EosAfterDocument", K.Boolean, "true", "Append eos after each document, as nanoT5 does (HF's T5TokenizerFast adds it); false = T5's own pipeline.");
    public static readonly Setting TextSampleBy = new("NanoT5TextSampleBy", "Data.TextSampleBy", K.OneOf, "line", "What a .txt document is, as HF's text loader's sample_by: line, paragraph (blank-line separated) or document (whole file).")
    {
        Choices = Enum("TextSampleBy", "Line", "Paragraph", "Document"),
    };

    // Retries of a failing request or a dropped read, with exponential back-off from 1 s.
    public static readonly Setting HttpRetries = new("NanoT5HttpRetries", "Data.HttpRetries", K.Integer, "6", "Retries of a failing http(s) source before its shard is skipped.") { Minimum = 0, OnResume = ResumePolicy.MayChange };

    public static readonly Setting FinetuneData = new("NanoT5FinetuneData", "Finetune.DataDirectory", K.Path, string.Empty, "Super-Natural Instructions folder (holds splits/ and tasks/) or builtin:demo.") { Builtins = FinetuneBuiltins, MissingPathCode = FileMissing, UnsetIsNull = true, OnResume = ResumePolicy.MayChange };
    public static readonly Setting FinetuneSplit = new("NanoT5FinetuneSplit", "Finetune.Split", K.Text, "default", "Split folder under splits/.");
    // Kept after the seeded shuffle; nanoT5 keeps 100 for train and test tasks alike.
    public static readonly Setting MaxInstancesPerTask = new("NanoT5MaxInstancesPerTask", "Finetune.MaxInstancesPerTask", K.Integer, "100", "Instances per task for training and test.") { Minimum = 1 };
    // eos included; examples are dropped, then the prompt cut, to fit.
    public static readonly Setting MaxSourceLength = new("NanoT5MaxSourceLength", "Finetune.MaxSourceLength", K.Integer, "1024", "Encoder tokens of a fine-tuning source.") { Minimum = 1 };
    // eos included; also the greedy generation limit.
    public static readonly Setting MaxTargetLength = new("NanoT5MaxTargetLength", "Finetune.MaxTargetLength", K.Integer, "128", "Decoder tokens of a fine-tuning target and of predictions.") { Minimum = 1 };
    public static readonly Setting AddTaskName = new("NanoT5AddTaskName", "Finetune.AddTaskName", K.Boolean, "false", "Prefix the source with the task name.");
    // nanoT5: on; the instruction is what makes transfer to unseen tasks possible.
    public static readonly Setting AddTaskDefinition = new("NanoT5AddTaskDefinition", "Finetune.AddTaskDefinition", K.Boolean, "true", "Put the task definition in the source.");
    public static readonly Setting PositiveExamples = new("NanoT5PositiveExamples", "Finetune.NumPositiveExamples", K.Integer, "2", "Positive examples in the source.") { Minimum = 0 };
    // Shown after the positive ones while they fit; Tk-Instruct found they do not help.
    public static readonly Setting NegativeExamples = new("NanoT5NegativeExamples", "Finetune.NumNegativeExamples", K.Integer, "0", "Negative examples in the source (nanoT5: 0).") { Minimum = 0 };
    public static readonly Setting AddExplanation = new("NanoT5AddExplanation", "Finetune.AddExplanation", K.Boolean, "false", "Add each shown example's explanation.");
    // Otherwise a malformed instance is skipped with a warning.
    public static readonly Setting StrictData = new("NanoT5StrictData", "Finetune.StrictData", K.Boolean, "false", "Stop on the first malformed instance instead of skipping it.") { OnResume = ResumePolicy.MayChange };
    // As nanoT5's HF stack (transformers 4.30 T5TokenizerFast and generate): a text ending in whitespace gets the
    // lone "▁" piece before eos (every SNI source ends in "Output: "), and generate(max_length = max_target_length)
    // yields at most max_target_length - 1 new tokens. false = SentencePiece's own encoding and max_target_length new
    // tokens (FinetuneSettings.MaxNewTokens).
    public static readonly Setting MatchHfTokenizer = new("NanoT5MatchHfTokenizer", "Finetune.MatchHfTokenizer", K.Boolean, "true", "Tokenize and generate as nanoT5's HF T5TokenizerFast: a lone ▁ piece before eos after trailing whitespace; at most max target length - 1 new tokens.");

    public static readonly Setting Optimizer = new("NanoT5Optimizer", "Optim.Name", K.OneOf, "adamwscale", "adamwscale (AdamW with RMS scaling), adafactor or adamw.")
    {
        Choices = Enum("OptimizerKind", "AdamWScale", "Adafactor", "AdamW"),
        FinetuneDefault = "adamw",
    };

    public static readonly Setting LearningRate = new("NanoT5LearningRate", "Optim.BaseLr", K.Number, "2e-2", "Base learning rate.") { Minimum = 0, MinimumExclusive = true, FinetuneDefault = "5e-5" };
    // The micro-batch is batch / grad_acc.
    public static readonly Setting BatchSize = new("NanoT5BatchSize", "Optim.BatchSize", K.Integer, "128", "Rows per optimizer step.") { Minimum = 1, FinetuneDefault = "8" };
    public static readonly Setting GradAcc = new("NanoT5GradAcc", "Optim.GradAcc", K.Integer, "1", "Micro-batches per optimizer step (the batch must divide evenly).") { Minimum = 1 };
    public static readonly Setting TotalSteps = new("NanoT5TotalSteps", "Optim.TotalSteps", K.Integer, "65536", "Optimizer steps (replaced by epochs x steps per epoch when NanoT5Epochs > 0).") { Minimum = 0, OnResume = ResumePolicy.MayGrow };
    public static readonly Setting Epochs = new("NanoT5Epochs", "Optim.Epochs", K.Integer, "0", "Passes over a finite dataset; 0 = use NanoT5TotalSteps.") { Minimum = 0, FinetuneDefault = "2", OnResume = ResumePolicy.MayGrow };
    public static readonly Setting WarmupSteps = new("NanoT5WarmupSteps", "Optim.WarmupSteps", K.Integer, "10000", "Warm-up steps of the cosine schedule.") { Minimum = 0, FinetuneDefault = "0" };
    public static readonly Setting Schedule = new("NanoT5Schedule", "Optim.Schedule", K.OneOf, "cosine", "cosine, legacy (T5's inverse square root) or constant.")
    {
        Choices = Enum("ScheduleKind", "Cosine", "Legacy", "Constant"),
        FinetuneDefault = "constant",
    };

    public static readonly Setting FinalCosine = new("NanoT5FinalCosine", "Optim.FinalCosine", K.Number, "1e-5", "Learning rate the cosine schedule ends at.") { Minimum = 0 };
    public static readonly Setting WeightDecay = new("NanoT5WeightDecay", "Optim.WeightDecay", K.Number, "0", "Decoupled weight decay (not for biases and norms).") { Minimum = 0 };
    public static readonly Setting GradClip = new("NanoT5GradClip", "Optim.GradClip", K.Number, "1", "Global L2 gradient clipping norm; 0 = off.") { Minimum = 0, FinetuneDefault = "0" };
    // Steps with a non-finite loss or gradient norm are skipped; this many in a row mean the weights are
    // diverging, and a 16 h run should not burn its budget on NaNs.
    public static readonly Setting MaxSkippedSteps = new("NanoT5MaxSkippedSteps", "Optim.MaxConsecutiveSkippedSteps", K.Integer, "10", "Non-finite steps in a row (each skipped) that stop the run.") { Minimum = 1 };

    public static readonly Setting EvalEvery = new("NanoT5EvalEvery", "Eval.EverySteps", K.Integer, "100000", "Evaluate every N steps (and always at the end).") { Minimum = 1, OnResume = ResumePolicy.MayChange };
    public static readonly Setting EvalSteps = new("NanoT5EvalSteps", "Eval.Steps", K.Integer, "500", "Validation batches per evaluation.") { Minimum = 1, FinetuneDefault = "200", OnResume = ResumePolicy.MayChange };
    // Only a run that starts at step 0 (nanoT5: no). Fine-tuning uses it to show the starting model's RougeL, so
    // the rise is measured against something.
    public static readonly Setting EvalAtStart = new("NanoT5EvalAtStart", "Eval.AtStart", K.Boolean, "false", "Also evaluate before the first step (fine-tuning: the starting model's RougeL).") { OnResume = ResumePolicy.MayChange };
    public static readonly Setting LogEvery = new("NanoT5LogEvery", "Logging.EverySteps", K.Integer, "100", "Log every N steps.") { Minimum = 1, OnResume = ResumePolicy.MayChange };
    public static readonly Setting LogGradL2 = new("NanoT5LogGradL2", "Logging.GradL2", K.Boolean, "true", "Log the gradient L2 norm.") { OnResume = ResumePolicy.MayChange };
    public static readonly Setting LogWeightsL2 = new("NanoT5LogWeightsL2", "Logging.WeightsL2", K.Boolean, "true", "Log the weights' L2 norm.") { OnResume = ResumePolicy.MayChange };
    public static readonly Setting CheckpointEvery = new("NanoT5CheckpointEvery", "Checkpoint.EverySteps", K.Integer, "100000", "Checkpoint every N steps (and always at the end).") { Minimum = 1, OnResume = ResumePolicy.MayChange };
    // Older checkpoints are deleted after a newer one is complete.
    public static readonly Setting KeepLast = new("NanoT5KeepLast", "Checkpoint.KeepLast", K.Integer, "3", "Checkpoints kept.") { Minimum = 1, OnResume = ResumePolicy.MayChange };
    // Only with the settings the run was started with (RunIdentity).
    public static readonly Setting Resume = new("NanoT5Resume", "Checkpoint.Resume", K.Boolean, "true", "Continue from the run folder's latest checkpoint (with the settings the run was started with); false starts the run over, deleting the earlier one.") { OnResume = ResumePolicy.MayChange };

    public static readonly Setting Tracker = new("NanoT5Tracker", "Tracker.Kind", K.OneOf, "none", "none or mlflow.")
    {
        Choices = Enum("TrackerKind", "None", "MLflow"),
        OnResume = ResumePolicy.MayChange,
    };

    // e.g. http://127.0.0.1:5000.
    public static readonly Setting TrackerUrl = new("NanoT5TrackerUrl", "Tracker.Url", K.Url, string.Empty, "Tracking server base URL.") { UnsetIsNull = true, OnResume = ResumePolicy.MayChange };
    public static readonly Setting TrackerExperiment = new("NanoT5TrackerExperiment", "Tracker.Experiment", K.Text, string.Empty, "Experiment name on the tracker; empty = NanoT5Name.") { UnsetIsNull = true, OnResume = ResumePolicy.MayChange };
    // The variable holds a bearer token; the token is never stored in the config.
    public static readonly Setting TrackerTokenVariable = new("NanoT5TrackerTokenVariable", "Tracker.TokenVariable", K.VariableName, "MLFLOW_TRACKING_TOKEN", "Environment variable holding the tracker token; the run inherits it, nothing else sees it.") { OnResume = ResumePolicy.MayChange };
    public static readonly Setting TrackerTags = new("NanoT5TrackerTags", "Tracker.Tags", K.Tags, string.Empty, "Run tags, key=value;key=value.") { OnResume = ResumePolicy.MayChange };
    public static readonly Setting TrackerDrainSeconds = new("NanoT5TrackerDrainSeconds", "Tracker.DrainSeconds", K.Number, "30", "Seconds to deliver pending metrics at the end.") { Minimum = 0, OnResume = ResumePolicy.MayChange };
    // Points logged meanwhile go out as one batch, so a run logging every step still sends about one request per
    // interval.
    public static readonly Setting TrackerSendInterval = new("NanoT5TrackerSendInterval", "Tracker.SendIntervalSeconds", K.Number, "2", "Seconds between metric deliveries while training.") { Minimum = 0, MinimumExclusive = true, OnResume = ResumePolicy.MayChange };
    // After it the request is abandoned and retried: a tracker answers log-batch in milliseconds, and a hung
    // connection must not hold back delivery for minutes.
    public static readonly Setting TrackerRequestTimeout = new("NanoT5TrackerRequestTimeout", "Tracker.RequestTimeoutSeconds", K.Number, "10", "Seconds one tracker request may take before it is retried.") { Minimum = 0, MinimumExclusive = true, OnResume = ResumePolicy.MayChange };

    public static readonly Setting ExportDirectory = new("NanoT5ExportDirectory", "Export.Directory", K.Path, string.Empty, "ONNX export folder (the Export target, predict --engine onnx); empty = onnx/ in the run folder.") { OnResume = ResumePolicy.MayChange };
    public static readonly Setting ExportFrom = new("NanoT5ExportFrom", "Export.From", K.Path, string.Empty, "What the Export target exports: a run folder, checkpoint folder or HF model folder; empty = the run's latest checkpoint, else NanoT5InitFrom.") { MissingPathCode = InitFromMissing, OnResume = ResumePolicy.MayChange };
    public static readonly Setting ExportWeights = new("NanoT5ExportWeights", "Export.Weights", K.OneOf, "fp32", "ONNX weights: fp32, or fp16 (half the size, computed in fp32 on ONNX Runtime's CPU provider).")
    {
        Choices = Enum("ExportWeights", "Fp32", "Fp16"),
        OnResume = ResumePolicy.MayChange,
    };

    // SDK-only properties: they steer the build, not the run.
    public static readonly Setting GenerateProgram = new("NanoT5GenerateProgram", null, K.Boolean, "true", "Generate Main (calls NanoT5.Cli.CommandLine.Run with Experiment.Config); false to write your own.");
    public static readonly Setting RunArguments = new("NanoT5RunArguments", null, K.Text, string.Empty, "Extra command-line arguments for the launched verb.");
    public static readonly Setting PredictInput = new("NanoT5PredictInput", null, K.Text, string.Empty, "-t:Predict on your own inputs (predict --input): a file of one input per line, or .jsonl with an \"input\" per line, relative to the project; answers one per line in the output and in predictions/<time>/. Empty: the SNI test split.");
    public static readonly Setting Processes = new("NanoT5Processes", null, K.Integer, "1", "Data-parallel processes: above 1, Pretrain and Finetune run under mpirun -np N (docs/distributed.md).") { Minimum = 1 };
    public static readonly Setting MpiRunArguments = new("NanoT5MpiRunArguments", null, K.Text, string.Empty, "Extra mpirun arguments when NanoT5Processes is above 1 (e.g. --oversubscribe, --hostfile hosts).");
    public static readonly Setting SweepSummaryFile = new("NanoT5SweepSummaryFile", null, K.Text, "runs/$(NanoT5Name)-sweep.txt", "File the sweep summary table is also written to.");
    public static readonly Setting SweepTarget = new("NanoT5SweepTarget", null, K.OneOf, "Pretrain", "What each sweep run launches.")
    {
        Choices = new[] { "Pretrain", "Finetune", "Evaluate", "Predict", "ShowConfig" }.Select(t => new Choice(t, t)).ToList(),
    };

    public static readonly Setting UnknownProperties = new("NanoT5UnknownProperties", null, K.OneOf, "error", "What an unknown NanoT5* property is: error (NT3003), or warning (NT3004) for projects shared with a newer SDK.")
    {
        Choices = new[] { "error", "warning" }.Select(t => new Choice(t, t)).ToList(),
    };

    public static readonly Setting NameFromOverrides = new("NanoT5NameFromOverrides", null, K.Boolean, "true", "-p: overrides of settings that shape the model name the run (default-learning-rate-1e-2), so a -p: sweep writes separate run folders.");

    /// <summary>Every setting with the name of its field here (the generated records read their defaults by it), in README order.</summary>
    public static IReadOnlyList<(string Field, Setting Setting)> Entries { get; } = typeof(SettingTable)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(Setting))
        .Select(f => (f.Name, (Setting)f.GetValue(null)!))
        .ToList();

    /// <summary>Every setting, in README order.</summary>
    public static IReadOnlyList<Setting> All { get; } = Entries.Select(e => e.Setting).ToList();

    private static readonly Dictionary<string, Setting> ByProperty = All.ToDictionary(s => s.Property, StringComparer.OrdinalIgnoreCase);

    /// <summary>The setting of an MSBuild property name (case-insensitive, as MSBuild is).</summary>
    public static Setting? Find(string property) => ByProperty.TryGetValue(property, out Setting? s) ? s : null;

    /// <summary>C# string literal.</summary>
    public static string Literal(string text)
    {
        var sb = new System.Text.StringBuilder("\"");
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    // Members of a NanoT5.Config enum; the value is the member in lower case, as the JSON config spells it.
    private static List<Choice> Enum(string type, params string[] members) => members
        .Select(m => new Choice(m.ToLowerInvariant(), ConfigNamespace + type + "." + m))
        .ToList();
}
