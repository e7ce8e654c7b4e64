// Throughput of the data pipeline (read + tokenize + concatenate + cut + shuffle + span-corrupt), measured
// through Next() as the training loop would call it, after a warm-up that fills the shuffle buffer.
using System.Diagnostics;
using NanoT5.Data.Sources;

namespace NanoT5.Data.Pipeline;

/// <summary>Result of <see cref="PipelineBenchmark.Run"/>.</summary>
/// <param name="TokensPerSecond">Pre-masking tokens delivered per second.</param>
/// <param name="Workers">Tokenization workers.</param>
/// <param name="Cores">Cores the workers could use: min(workers, processor count).</param>
public sealed record PipelineBenchmarkResult(double TokensPerSecond, int Workers, int Cores, double Seconds, long Tokens)
{
    public double TokensPerSecondPerCore => TokensPerSecond / Cores;
}

/// <summary>Measures pipeline tokens/s.</summary>
public static class PipelineBenchmark
{
    public static PipelineBenchmarkResult Run(PipelineOptions options, ITextTokenizer tokenizer, int warmupBatches, int batches, TextWriter log)
    {
        var warnings = new TextWriterWarningSink(log);
        using var pipeline = new PretrainingPipeline(options, tokenizer, warnings);
        for (int i = 0; i < warmupBatches; i++)
        {
            pipeline.Next().Dispose();
        }

        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < batches; i++)
        {
            pipeline.Next().Dispose();
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        long tokens = (long)batches * options.BatchSize * pipeline.Lengths.TokensLength;
        return new PipelineBenchmarkResult(tokens / seconds, options.Workers, Math.Min(options.Workers, Environment.ProcessorCount), seconds, tokens);
    }
}
