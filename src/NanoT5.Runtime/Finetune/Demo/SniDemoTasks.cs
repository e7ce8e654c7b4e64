// The tasks of the built-in demo set: skills a tiny T5 picks up on a CPU in minutes (copying leading or trailing
// words, lower-casing, reversing word order, extracting a marked identifier). The test tasks are unseen tasks
// that reuse a training skill with a different instruction, so what is measured is transfer, as in SNI.
using System.Text.RegularExpressions;

namespace NanoT5.Finetune.Demo;

/// <summary>Which sentences a demo task is made from.</summary>
internal enum DemoPool
{
    /// <summary>Sentences without code references.</summary>
    Plain,

    /// <summary>Sentences with exactly one `Identifier`.</summary>
    Identifier,
}

/// <summary>One demo instance before it gets an id.</summary>
internal sealed record DemoInstance(string Input, IReadOnlyList<string> Outputs);

/// <summary>
/// A demo task: name, first category, definition, whether it is a test task, the pool it draws sentences from,
/// and how a sentence becomes an instance (null when the sentence does not suit the task).
/// </summary>
internal sealed record DemoTask(string Name, string Category, string Definition, bool Test, DemoPool Pool, Func<string, Random, DemoInstance?> Make);

/// <summary>The demo task list.</summary>
internal static partial class SniDemoTasks
{
    public const string TextCopying = "Text Copying";
    public const string CaseConversion = "Case Conversion";
    public const string WordReordering = "Word Reordering";
    public const string SpanExtraction = "Span Extraction";

    public static IReadOnlyList<DemoTask> All { get; } =
    [
        new("demo001_copy_first_three_words", TextCopying, "Copy the first three words of the given sentence, exactly as they are written.", false, DemoPool.Plain, (s, _) => FirstWords(s, 3)),
        new("demo002_copy_first_five_words", TextCopying, "Copy the first five words of the given sentence, exactly as they are written.", false, DemoPool.Plain, (s, _) => FirstWords(s, 5)),
        new("demo003_copy_last_two_words", TextCopying, "Copy the last two words of the given sentence", false, DemoPool.Plain, (s, _) => LastWords(s, 2)),
        new("demo004_lowercase_sentence", CaseConversion, "Rewrite the given sentence using only lowercase letters", false, DemoPool.Plain, (s, _) => Lowercase(s)),
        new("demo005_reverse_word_order", WordReordering, "Reverse the order of the words in the given phrase.", false, DemoPool.Plain, (s, r) => Reverse(s, r.Next(3, 6))),
        new("demo006_extract_backtick_identifier", SpanExtraction, "The sentence mentions one code identifier between backticks. Output that identifier.", false, DemoPool.Identifier, (s, _) => Marked(s, '`')),
        new("demo007_copy_sentence", TextCopying, "Repeat the given sentence word for word.", false, DemoPool.Plain, (s, _) => new DemoInstance(s, [s])),
        new("demo101_copy_first_four_words", TextCopying, "Copy the first four words of the given sentence, exactly as they are written.", true, DemoPool.Plain, (s, _) => FirstWords(s, 4)),
        new("demo102_reverse_two_words", WordReordering, "Swap the two words of the given phrase", true, DemoPool.Plain, (s, _) => Reverse(s, 2)),
        new("demo103_extract_quoted_identifier", SpanExtraction, "The sentence mentions one code identifier between double quotes. Output that identifier.", true, DemoPool.Identifier, (s, _) => Marked(s, '"')),
    ];

    /// <summary>Longest sentence used, in words: keeps prompts short enough for a tiny model on a CPU.</summary>
    public const int MaxWords = 18;

    /// <summary>True when <paramref name="sentence"/> is short and has exactly one `Identifier`.</summary>
    public static bool HasOneIdentifier(string sentence) =>
        IsShort(sentence) && Identifiers().Count(sentence) == 1 && sentence.Count(c => c == '`') == 2;

    /// <summary>True when <paramref name="sentence"/> is short and has no backtick at all.</summary>
    public static bool IsPlain(string sentence) => IsShort(sentence) && !sentence.Contains('`', StringComparison.Ordinal);

    private static bool IsShort(string sentence) => sentence.Count(c => c == ' ') < MaxWords;

    private static DemoInstance? FirstWords(string sentence, int n)
    {
        string[] words = sentence.Split(' ');
        return words.Length >= n + 2 ? new DemoInstance(sentence, [string.Join(' ', words[..n])]) : null;
    }

    private static DemoInstance? LastWords(string sentence, int n)
    {
        string[] words = sentence.Split(' ');
        return words.Length >= n + 2 ? new DemoInstance(sentence, [string.Join(' ', words[^n..])]) : null;
    }

    // Two references: with and without the final period, so the max over references matters.
    private static DemoInstance Lowercase(string sentence)
    {
        string lower = sentence.ToLowerInvariant();
        return new DemoInstance(sentence, [lower, lower.TrimEnd('.')]);
    }

    private static DemoInstance? Reverse(string sentence, int n)
    {
        string[] words = sentence.Split(' ');
        if (words.Length < n || !words[..n].All(w => Letters().IsMatch(w)))
        {
            return null;
        }

        string[] phrase = words[..n];
        return new DemoInstance(string.Join(' ', phrase), [string.Join(' ', phrase.Reverse())]);
    }

    // The identifier alone, or with its marks.
    private static DemoInstance? Marked(string sentence, char mark)
    {
        Match m = Identifiers().Match(sentence);
        if (!m.Success)
        {
            return null;
        }

        string name = m.Groups[1].Value;
        return new DemoInstance(sentence.Replace('`', mark), [name, $"{mark}{name}{mark}"]);
    }

    [GeneratedRegex("`([A-Za-z_][A-Za-z0-9_]*)`")]
    private static partial Regex Identifiers();

    [GeneratedRegex("^[A-Za-z]+$")]
    private static partial Regex Letters();
}
