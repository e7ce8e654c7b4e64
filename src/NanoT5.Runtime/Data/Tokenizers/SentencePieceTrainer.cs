// Trains a T5-layout SentencePiece model with the real trainer: Debian/Homebrew's spm_train, or the
// Python package's SentencePieceTrainer (same C++ trainer) when only that is installed. The corpus is any
// of the pipeline's sources, streamed to a temporary file one line per sentence, capped.
using System.Diagnostics;
using System.Globalization;
using NanoT5.Data.Sources;

namespace NanoT5.Data.Tokenizers;

/// <summary>What to train.</summary>
public sealed record SentencePieceTrainingOptions
{
    /// <summary>Corpus sources: files, folders, globs, URLs, builtin:dotnet-docs (training split).</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>The model to write (e.g. spiece.model); a .vocab file is written beside it.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Pieces, pad/eos/unk included (T5: 32,000); sentinels are added on top at load time.</summary>
    public int VocabSize { get; init; } = 32_000;

    /// <summary>Lines written for the trainer; bounds disk use and the trainer's memory (it holds them all).</summary>
    public long MaxSentences { get; init; } = 2_000_000;

    /// <summary>Share of characters the model must cover (spm's default, right for English; 1.0 for small alphabets).</summary>
    public double CharacterCoverage { get; init; } = 0.9995;

    /// <summary>
    /// Fail when the corpus cannot support <see cref="VocabSize"/> pieces (spm's default); false makes the size
    /// an upper bound, for corpora too small or repetitive for it.
    /// </summary>
    public bool HardVocabLimit { get; init; } = true;

    /// <summary>Trainer threads; 0 = one per core.</summary>
    public int Threads { get; init; }
}

/// <summary>Runs SentencePiece's trainer with T5's layout.</summary>
public static class SentencePieceTrainer
{
    /// <summary>Install instructions, shown when no trainer is found.</summary>
    public const string InstallHelp =
        "SentencePiece's trainer was not found (spm_train on PATH, or python3 with the sentencepiece package). Install one:\n" +
        "  Debian/Ubuntu: sudo apt-get install sentencepiece\n" +
        "  macOS:         brew install sentencepiece\n" +
        "  Python:        pip install sentencepiece   (then python3 must be on PATH)";

    private const string PythonTrain =
        "import sys, sentencepiece as spm; spm.SentencePieceTrainer.train(**dict(a[2:].split('=', 1) for a in sys.argv[1:]))";

    /// <summary>The trainer command: (file, leading arguments), or null when none is installed.</summary>
    public static (string File, string[] Prefix)? FindTrainer(string? pathVariable = null)
    {
        string path = pathVariable ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        string? spm = FindOnPath("spm_train", path);
        if (spm is not null)
        {
            return (spm, []);
        }

        string? python = FindOnPath("python3", path);
        return python is not null && Run(python, ["-c", "import sentencepiece"], TextWriter.Null) == 0 ? (python, ["-c", PythonTrain]) : null;
    }

    /// <summary>
    /// Writes the corpus, trains, and checks the result loads as a T5-layout tokenizer. Throws
    /// <see cref="FileNotFoundException"/> with <see cref="InstallHelp"/> when no trainer is installed.
    /// </summary>
    public static SentencePieceT5Tokenizer Train(SentencePieceTrainingOptions options, TextWriter log, string? pathVariable = null)
    {
        (string file, string[] prefix) = FindTrainer(pathVariable) ?? throw new FileNotFoundException(InstallHelp);
        IReadOnlyList<Shard> shards = SourceResolver.Resolve(options.Sources, DataSplit.Train, "--input");
        string output = Path.GetFullPath(options.OutputPath);
        if (!output.EndsWith(".model", StringComparison.Ordinal))
        {
            throw new ArgumentException($"--output: the model file must end in .model (got '{options.OutputPath}')");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        string corpus = Path.Combine(Path.GetTempPath(), $"nanot5-spm-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        try
        {
            long sentences = WriteCorpus(shards, corpus, options.MaxSentences, log);
            log.WriteLine($"training a {(options.HardVocabLimit ? string.Empty : "up to ")}{options.VocabSize}-piece unigram model on {sentences} lines with {Path.GetFileName(file)}");
            string[] flags =
            [
                $"--input={corpus}", $"--model_prefix={output[..^".model".Length]}", $"--vocab_size={options.VocabSize}",
                "--model_type=unigram", "--pad_id=0", "--eos_id=1", "--unk_id=2", "--bos_id=-1",
                "--pad_piece=<pad>", "--eos_piece=</s>", "--unk_piece=<unk>", "--normalization_rule_name=nmt_nfkc",
                string.Create(CultureInfo.InvariantCulture, $"--character_coverage={options.CharacterCoverage}"),
                $"--input_sentence_size={options.MaxSentences}", "--shuffle_input_sentence=true",
                $"--hard_vocab_limit={(options.HardVocabLimit ? "true" : "false")}",
                $"--num_threads={(options.Threads > 0 ? options.Threads : Environment.ProcessorCount)}",
            ];
            int exit = Run(file, [.. prefix, .. flags], log);
            if (exit != 0 || !File.Exists(output))
            {
                throw new InvalidDataException($"the SentencePiece trainer failed (exit code {exit}); its messages are above");
            }
        }
        finally
        {
            File.Delete(corpus);
        }

        return SentencePieceT5Tokenizer.Load(output);
    }

    /// <summary>Non-blank lines of the sources' documents, at most <paramref name="maxSentences"/>.</summary>
    private static long WriteCorpus(IReadOnlyList<Shard> shards, string path, long maxSentences, TextWriter log)
    {
        var problems = new DataProblems(new TextWriterWarningSink(log), maxBadFraction: 1.0, shards.Count);
        var reader = new ShardReader(new HttpSourceOptions());
        long lines = 0;
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        foreach (Shard shard in shards)
        {
            foreach (SourceDocument document in reader.Read(shard, 0, problems))
            {
                foreach (string line in document.Text.Split('\n'))
                {
                    if (!string.IsNullOrWhiteSpace(line))
                    {
                        writer.WriteLine(line.Trim());
                        if (++lines >= maxSentences)
                        {
                            return lines;
                        }
                    }
                }
            }
        }

        return lines > 0 ? lines : throw new InvalidDataException("--input: the sources hold no text to train on");
    }

    private static int Run(string file, IEnumerable<string> arguments, TextWriter log)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return process.ExitCode;

        void Log(string? line)
        {
            if (line is not null)
            {
                lock (log)
                {
                    log.WriteLine(line);
                }
            }
        }
    }

    private static string? FindOnPath(string name, string path) =>
        path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
