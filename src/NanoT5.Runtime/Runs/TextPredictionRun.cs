// `predict --input`: text in, text out. The run's latest checkpoint (or model.init_from) answers each input greedily,
// one answer per line on standard output as it is made; progress goes to standard error, and the inputs and answers
// are kept in the verb's own record (predictions/<UTC time>/predictions.jsonl), never in the run's identity files.
using System.Diagnostics;
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Data.Tokenizers;
using NanoT5.Finetune;
using NanoT5.IO;

namespace NanoT5.Runs;

/// <summary>Runs the predict verb on free-text inputs.</summary>
public static class TextPredictionRun
{
    /// <summary>
    /// Answers the inputs of <paramref name="source"/> (a file, or "-" for <paramref name="stdin"/>) with the model
    /// <paramref name="config"/> names; answers go to <paramref name="output"/>, progress to <paramref name="log"/>.
    /// </summary>
    public static int Predict(ExperimentConfig config, string source, TextReader stdin, TextWriter output, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        IReadOnlyList<string> inputs = TextPromptInputs.Read(source, stdin);
        RunEnvironment environment = RunEnvironment.Prepare(config);
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);
        // As SNI predict encodes (finetune.match_hf_tokenizer): a fine-tuned model sees its training inputs' pieces.
        ITextTokenizer encoder = config.Finetune.MatchHfTokenizer ? HfT5TokenizerFast.Wrap(tokenizer) : tokenizer;
        using TrainedModel trained = TrainedModel.Load(config, tokenizer, environment.Device, "predict");

        ExperimentConfig record = MeasurementRecord.For(config, RunFolderLayout.PredictionsDirectory, TimeProvider.System);
        return Measurement.Record(record, trained.Step, progress =>
        {
            int sentinels = inputs.Count(input => TextPrediction.HasSentinels(input, tokenizer));
            progress.Line($"[predict] {trained.Source} (step {trained.Step}): {inputs.Count} inputs from {(source == TextPromptInputs.StandardInput ? "standard input" : Path.GetFullPath(source))}" +
                (sentinels > 0 ? $" ({sentinels} with sentinels: span filling)" : string.Empty));
            var watch = Stopwatch.StartNew();
            IReadOnlyList<TextPrediction> predictions = TextPredictor.Predict(
                trained.Model, inputs, encoder, config.Finetune.MaxSourceLength, config.Finetune.MaxNewTokens(), config.Optim.BatchSize / config.Optim.GradAcc, environment.AutocastDtype, p =>
                {
                    // One line per input, whatever the model wrote.
                    output.WriteLine(p.Prediction.ReplaceLineEndings(" "));
                    output.Flush();
                });
            string file = Path.Combine(record.RunDirectory, RunFolderLayout.PredictionsFile);
            TextPredictor.WriteFile(file, predictions);
            progress.Line(FormattableString.Invariant($"predictions: {file} ({watch.Elapsed.TotalSeconds:F1} s)"));
            return new Dictionary<string, double>();
        }, log);
    }
}
