// One answer of `predict --input`. A fine-tuned model's answer is decoded as SNI predict decodes it (special tokens
// skipped, cleaned). An input with sentinels (<extra_id_0> ...) asks a span-filling model for the missing spans: the
// answer keeps its sentinels (T5's target format, "<extra_id_0> span <extra_id_1> ...") and Filled puts each span
// in its sentinel's place in the input.
using System.Text;
using System.Text.RegularExpressions;
using NanoT5.Data;
using NanoT5.Data.Tokenizers;

namespace NanoT5.Finetune;

/// <summary>An input, the generated ids and their text; <see cref="Filled"/> is set for inputs with sentinels.</summary>
public sealed partial record TextPrediction(string Input, IReadOnlyList<int> Ids, string Prediction, string? Filled)
{
    /// <summary>Whether <paramref name="input"/> holds a sentinel of <paramref name="tokenizer"/> (then it is a span-filling question).</summary>
    public static bool HasSentinels(string input, ITextTokenizer tokenizer) =>
        Sentinel().Matches(input).Any(m => IsSentinel(m, tokenizer));

    /// <summary>
    /// Encoder ids of <paramref name="input"/>: its text pieces encoded by <paramref name="tokenizer"/> with each
    /// <c>&lt;extra_id_N&gt;</c> as its sentinel id (as span corruption puts it), cut to <paramref name="maxLength"/> - 1, then eos.
    /// </summary>
    public static int[] InputIds(string input, ITextTokenizer tokenizer, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = new List<int>();
        int start = 0;
        foreach (Match m in Sentinel().Matches(input).Where(m => IsSentinel(m, tokenizer)))
        {
            // The text before a sentinel ends a word, as the corrupted spans in pretraining do.
            ids.AddRange(tokenizer.Encode(input[start..m.Index].TrimEnd()));
            ids.Add(tokenizer.SentinelId(Index(m)));
            start = m.Index + m.Length;
        }

        ids.AddRange(tokenizer.Encode(start == 0 ? input : input[start..]));
        int kept = Math.Min(ids.Count, maxLength - 1);
        return [.. ids.Take(kept), tokenizer.EosId];
    }

    /// <summary>The prediction of generated <paramref name="ids"/> (decoder start token and padding may be included) for <paramref name="input"/>.</summary>
    public static TextPrediction FromIds(string input, IReadOnlyList<int> ids, ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!HasSentinels(input, tokenizer))
        {
            return new TextPrediction(input, ids, SniPredictionText.Decode(tokenizer, ids), null);
        }

        // Decode spells sentinels as <extra_id_N> and stops at eos; pad (the start token) and unk have no text.
        string target = SniPredictionText.Clean(tokenizer.Decode(ids.Where(id => id != T5Layout.UnkId)));
        return new TextPrediction(input, ids, target, Fill(input, target, tokenizer));
    }

    /// <summary>
    /// <paramref name="input"/> with each sentinel replaced by the span that follows the same sentinel in
    /// <paramref name="target"/> (a sentinel the model did not answer stays as it is).
    /// </summary>
    public static string Fill(string input, string target, ITextTokenizer tokenizer)
    {
        var spans = new Dictionary<int, string>();
        Match[] marks = Sentinel().Matches(target).Where(m => IsSentinel(m, tokenizer)).ToArray();
        for (int i = 0; i < marks.Length; i++)
        {
            int from = marks[i].Index + marks[i].Length;
            int to = i + 1 < marks.Length ? marks[i + 1].Index : target.Length;
            spans.TryAdd(Index(marks[i]), target[from..to].Trim());
        }

        var filled = new StringBuilder();
        int start = 0;
        foreach (Match m in Sentinel().Matches(input).Where(m => IsSentinel(m, tokenizer)))
        {
            filled.Append(input, start, m.Index - start);
            filled.Append(spans.TryGetValue(Index(m), out string? span) ? span : m.Value);
            start = m.Index + m.Length;
        }

        return filled.Append(input, start, input.Length - start).ToString();
    }

    private static bool IsSentinel(Match m, ITextTokenizer tokenizer) =>
        int.TryParse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture, out int index) && index < tokenizer.SentinelCount;

    private static int Index(Match m) => int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"<extra_id_([0-9]{1,4})>", RegexOptions.CultureInvariant)]
    private static partial Regex Sentinel();
}
