// The verbs that run an experiment: pretrain, finetune, evaluate and predict.
using System.CommandLine;
using NanoT5.Config;
using NanoT5.Runs;
using NanoT5.Training;

namespace NanoT5.Cli;

/// <summary>Builds the experiment verbs.</summary>
public static class ExperimentCommands
{
    /// <summary>`pretrain [--config FILE]`.</summary>
    public static Command Pretrain(ExperimentConfig? experiment) =>
        Create("pretrain", "Pretrain with span corruption as the experiment says (resumes from its run folder's latest checkpoint).", experiment, RunMode.Pretrain,
            config => PretrainingRun.Pretrain(config, CallbackDiscovery.In(System.Reflection.Assembly.GetEntryAssembly())));

    /// <summary>`finetune [--config FILE] [--check-data]`.</summary>
    public static Command Finetune(ExperimentConfig? experiment)
    {
        var config = ExperimentConfigOption.Create();
        var checkData = new Option<bool>("--check-data")
        {
            Description = "Train nothing: read every task of both split lists as the run would, build every prompt and print counts, what was skipped and why, and how many prompts and references exceed max_source_length / max_target_length.",
        };
        var command = new Command("finetune", "Fine-tune on Super-Natural Instructions with RougeL at each evaluation (resumes from its run folder's latest checkpoint).") { config, checkData };
        command.SetAction(parse =>
        {
            ExperimentConfig resolved = ExperimentConfigOption.Resolve(parse.GetValue(config), experiment, RunMode.Finetune);
            // The check reads the data only: it needs no run folder claim and runs beside a training run.
            return parse.GetValue(checkData)
                ? FinetuningRun.CheckData(OneProcess(resolved, "finetune --check-data"), Console.Out)
                : RunInClaimedFolder(resolved, RunMode.Finetune, config => FinetuningRun.Finetune(config, CallbackDiscovery.In(System.Reflection.Assembly.GetEntryAssembly())));
        });
        return command;
    }

    /// <summary>`evaluate [--config FILE]`: the SNI test split when finetune.data_directory is set, else the pretraining validation data.</summary>
    public static Command Evaluate(ExperimentConfig? experiment) =>
        Create("evaluate", "Evaluation only: loss and token accuracy of the run's latest checkpoint (or model.init_from) on the SNI test split when finetune.data_directory is set, else on the pretraining validation data.", experiment, RunMode.Evaluate,
            config => RunEvaluate(OneProcess(config, "evaluate")));

    /// <summary>`predict [--config FILE] [--engine torchsharp|onnx] [--input FILE|-]`.</summary>
    public static Command Predict(ExperimentConfig? experiment)
    {
        var config = ExperimentConfigOption.Create();
        var engine = new Option<PredictEngine>("--engine")
        {
            Description = "torchsharp (the run's latest checkpoint, or model.init_from) or onnx (ONNX Runtime on the run's ONNX export, export.directory; docs/onnx.md).",
            DefaultValueFactory = _ => PredictEngine.TorchSharp,
        };
        var input = new Option<string?>("--input")
        {
            Description = "Text in, text out: answer each input of FILE (one per line; a .jsonl file: {\"input\": ...} per line) or of standard input (-), one answer per line on standard output; <extra_id_N> sentinels ask a pretrained model to fill spans. Without it: the SNI test split.",
            HelpName = "FILE|-",
        };
        var command = new Command("predict", "Greedy predictions of the run's latest checkpoint (or model.init_from): for every SNI test instance (predictions.jsonl, RougeL overall and per category), or for your own inputs with --input; kept in the run folder's predictions/<time>/.") { config, engine, input };
        command.SetAction(parse =>
        {
            if (parse.GetValue(input) is not string source)
            {
                return RunInClaimedFolder(ExperimentConfigOption.Resolve(parse.GetValue(config), experiment, RunMode.Predict), RunMode.Predict, resolved => FinetuningRun.Predict(OneProcess(resolved, "predict"), parse.GetValue(engine)));
            }

            if (parse.GetValue(engine) != PredictEngine.TorchSharp)
            {
                throw new ArgumentException("predict --input generates with TorchSharp; --engine onnx reads the SNI test split (docs/onnx.md has ONNX Runtime generation for your own app).");
            }

            // Text in needs no task folder: resolved as evaluate is (fine-tuning defaults only with finetune.data_directory), run as predict.
            ExperimentConfig text = ExperimentConfigOption.Resolve(parse.GetValue(config), experiment, RunMode.Evaluate) with { Mode = RunMode.Predict };
            return RunInClaimedFolder(text, RunMode.Predict, resolved => TextPredictionRun.Predict(OneProcess(resolved, "predict"), source, Console.In, Console.Out, Console.Error));
        });
        return command;
    }

    /// <summary>`export [--config FILE]`: the run's model as ONNX (docs/onnx.md).</summary>
    public static Command Export(ExperimentConfig? experiment) =>
        Create("export", "Export the run's latest checkpoint (or model.init_from, or export.from) to ONNX: encoder.onnx, decoder.onnx, decoder_with_past.onnx, tokenizer files and nanot5_onnx.json in export.directory (default: the run folder's onnx/), checked against TorchSharp on ONNX Runtime.", experiment, null,
            (config, _) => ExportRun.Export(OneProcess(config, "export"), Console.Out));

    /// <summary>A verb that resolves the experiment config for <paramref name="mode"/> and runs <paramref name="run"/> on it.</summary>
    public static Command Create(string name, string description, ExperimentConfig? experiment, RunMode mode, Func<ExperimentConfig, int> run) =>
        Create(name, description, experiment, mode, (config, _) => run(config));

    // The verb with its own options; a null mode keeps the experiment's (export reads a pretraining or a fine-tuning run).
    private static Command Create(string name, string description, ExperimentConfig? experiment, RunMode? mode, Func<ExperimentConfig, ParseResult, int> run, params Option[] options)
    {
        var config = ExperimentConfigOption.Create();
        var command = new Command(name, description) { config };
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            ExperimentConfig resolved = ExperimentConfigOption.Resolve(parse.GetValue(config), experiment, mode);
            return RunInClaimedFolder(resolved, mode, claimed => run(claimed, parse));
        });
        return command;
    }

    // Only the training verbs start a run over (checkpoint.resume false); evaluate, predict and export read the run.
    private static int RunInClaimedFolder(ExperimentConfig resolved, RunMode? verbMode, Func<ExperimentConfig, int> run)
    {
        // One process per run folder, held until the verb returns (or the process dies). In a data-parallel job
        // rank 0 holds it for every rank and alone starts a run over; the others wait until it has tidied the folder.
        Distributed.IProcessGroup world = Distributed.ProcessGroups.Join();
        bool startOver = verbMode is RunMode.Pretrain or RunMode.Finetune && !resolved.Checkpoint.Resume;
        using RunFolderClaim? claim = world.IsRoot ? RunFolderClaim.Claim(resolved.RunDirectory, resolved.Name, startOver, Console.Error) : null;
        Span<byte> claimed = [1];
        world.BroadcastFromRoot(claimed);
        return run(resolved);
    }

    // Measurements write the run folder from one process; only training is data-parallel.
    private static ExperimentConfig OneProcess(ExperimentConfig config, string verb) =>
        Distributed.ProcessGroups.Launch.IsDistributed
            ? throw new ArgumentException($"{verb} runs in one process: start it without mpirun or srun (only pretrain and finetune are data-parallel).")
            : config;

    private static int RunEvaluate(ExperimentConfig config) =>
        config.UsesFinetuneData() ? FinetuningRun.Evaluate(config) : PretrainingRun.Evaluate(config);
}
