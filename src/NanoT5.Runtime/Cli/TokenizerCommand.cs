// `tokenizer train`: a T5-layout SentencePiece model from the user's own corpus (own language, own domain).
using System.CommandLine;
using NanoT5.Data.Tokenizers;
using NanoT5.Runs;

namespace NanoT5.Cli;

/// <summary>The tokenizer verb group.</summary>
public static class TokenizerCommand
{
    public static Command Create()
    {
        var defaults = new SentencePieceTrainingOptions { Sources = [], OutputPath = "spiece.model" };
        var input = new Option<string[]>("--input") { Required = true, AllowMultipleArgumentsPerToken = true, Description = "Corpus: files, folders, globs, http(s) URLs or builtin:dotnet-docs (.json.gz, .jsonl, .parquet, .txt)." };
        var output = new Option<string>("--output") { DefaultValueFactory = _ => defaults.OutputPath, Description = "Model file to write (a .vocab is written beside it)." };
        var vocabSize = new Option<int>("--vocab-size") { DefaultValueFactory = _ => defaults.VocabSize, Description = "Pieces including pad, eos and unk (T5: 32000); 100 sentinels are added on top." };
        var maxSentences = new Option<long>("--max-sentences") { DefaultValueFactory = _ => defaults.MaxSentences, Description = "Lines of corpus handed to the trainer." };
        var coverage = new Option<double>("--character-coverage") { DefaultValueFactory = _ => defaults.CharacterCoverage, Description = "Share of characters covered (1.0 for small alphabets)." };
        var hardLimit = new Option<bool>("--hard-vocab-limit") { DefaultValueFactory = _ => defaults.HardVocabLimit, Description = "Fail when the corpus cannot support --vocab-size pieces; false makes it an upper bound." };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => 0, Description = "Trainer threads (0 = all cores)." };

        var train = new Command("train", "Train a T5-layout SentencePiece model (unigram; pad 0, eos 1, unk 2, no bos) with SentencePiece's own trainer.")
        {
            input, output, vocabSize, maxSentences, coverage, hardLimit, threads,
        };
        train.SetAction(parse =>
        {
            var options = new SentencePieceTrainingOptions
            {
                Sources = parse.GetValue(input)!,
                OutputPath = parse.GetValue(output)!,
                VocabSize = parse.GetValue(vocabSize),
                MaxSentences = parse.GetValue(maxSentences),
                CharacterCoverage = parse.GetValue(coverage),
                HardVocabLimit = parse.GetValue(hardLimit),
                Threads = parse.GetValue(threads),
            };
            SentencePieceT5Tokenizer tokenizer = SentencePieceTrainer.Train(options, Console.Error);
            Console.WriteLine($"wrote {tokenizer.Model.Path}: {tokenizer.RegularCount} pieces, tokenizer length {tokenizer.Count} with sentinels, model vocab {tokenizer.ModelVocabSize}");
            Console.WriteLine($"use it: tokenizer.kind = sentencepiece, tokenizer.path = {tokenizer.Model.Path}, model vocab_size = {tokenizer.ModelVocabSize}");
            return ExitCodes.Success;
        });

        return new Command("tokenizer", "Tokenizer tools.") { train };
    }
}
