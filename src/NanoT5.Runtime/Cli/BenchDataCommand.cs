// `bench-data`: data pipeline tokens/s per core with a T5-layout SentencePiece tokenizer on real text.
using System.CommandLine;
using System.Globalization;
using NanoT5.Config;
using NanoT5.Data.BuiltIn;
using NanoT5.Data.Pipeline;
using NanoT5.Data.Sources;
using NanoT5.Data.Tokenizers;
using NanoT5.Runs;

namespace NanoT5.Cli;

/// <summary>The bench-data verb.</summary>
public static class BenchDataCommand
{
    public static Command Create()
    {
        var tokenizerPath = new Option<string?>("--tokenizer") { Description = "spiece.model to use (T5's own, for example); default: a unigram model of up to 32,000 pieces trained once on the built-in corpus with T5's flags and cached." };
        var cacheDirectory = new Option<string>("--cache-dir") { DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "nanot5", "bench-data"), Description = "Where the default tokenizer is trained and kept." };
        var input = new Option<string[]>("--input") { DefaultValueFactory = _ => [SourceResolver.DotnetDocs], AllowMultipleArgumentsPerToken = true, Description = "Text to tokenize: files, globs, URLs or builtin:dotnet-docs." };
        var workers = new Option<int>("--workers") { DefaultValueFactory = _ => Environment.ProcessorCount, Description = "Tokenization workers." };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 128, Description = "Rows per batch." };
        var inputLength = new Option<int>("--input-length") { DefaultValueFactory = _ => 512, Description = "Encoder input length (rows are 568 tokens before masking for 512)." };
        var shuffleBuffer = new Option<int>("--shuffle-buffer") { DefaultValueFactory = _ => 1000, Description = "Shuffle-buffer rows (filled during warm-up)." };
        var warmup = new Option<int>("--warmup") { DefaultValueFactory = _ => 10, Description = "Unmeasured batches first." };
        var batches = new Option<int>("--batches") { DefaultValueFactory = _ => 50, Description = "Measured batches." };

        var command = new Command("bench-data", "Measure data pipeline throughput (tokenize, concatenate, span-corrupt) in tokens/s per core.")
        {
            tokenizerPath, cacheDirectory, input, workers, batch, inputLength, shuffleBuffer, warmup, batches,
        };
        command.SetAction(parse =>
        {
            string model = parse.GetValue(tokenizerPath) ?? DefaultTokenizer(parse.GetValue(cacheDirectory)!);
            SentencePieceT5Tokenizer tokenizer = SentencePieceT5Tokenizer.Load(model);
            var options = new PipelineOptions
            {
                Shards = SourceResolver.Resolve(parse.GetValue(input)!, DataSplit.Train, "--input"),
                BatchSize = parse.GetValue(batch),
                Data = new DataSettings { InputLength = parse.GetValue(inputLength), ShuffleBuffer = parse.GetValue(shuffleBuffer) },
                Workers = Math.Max(1, parse.GetValue(workers)),
            };
            Console.WriteLine($"tokenizer {model} ({tokenizer.RegularCount} pieces), {options.Shards.Count} shard(s), {options.Workers} worker(s)");
            PipelineBenchmarkResult result = PipelineBenchmark.Run(options, tokenizer, parse.GetValue(warmup), parse.GetValue(batches), Console.Error);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"tokens_per_s={result.TokensPerSecond:F0} tokens_per_s_per_core={result.TokensPerSecondPerCore:F0} workers={result.Workers} cores={result.Cores} seconds={result.Seconds:F2}"));
            return ExitCodes.Success;
        });
        return command;
    }

    // T5's spiece.model cannot be downloaded here; a unigram model trained with T5's flags stands in for it.
    // The built-in corpus is repetitive API prose and supports only about 16,000 pieces, so 32,000 is an upper bound.
    private static string DefaultTokenizer(string cacheDirectory)
    {
        // <root>/packs/<pack>/<version>/ref/<tfm>/<file>.xml: the SDK's pack version names the corpus.
        string version = new FileInfo(DotnetDocsCorpus.Files()[0]).Directory!.Parent!.Parent!.Name;
        string path = Path.Combine(cacheDirectory, $"dotnet-docs-{version}-unigram-32000.model");
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"training the benchmark tokenizer once: {path}");
            SentencePieceTrainer.Train(new SentencePieceTrainingOptions { Sources = [SourceResolver.DotnetDocs], OutputPath = path, VocabSize = 32_000, HardVocabLimit = false }, Console.Error);
        }

        return path;
    }
}
