// Ports NLTK's PorterStemmer (nltk/stem/porter.py) in its default NLTK_EXTENSIONS mode, the one rouge_score
// builds with `porter.PorterStemmer()`. Rule lists, their order and _apply_rule_list's "the first suffix that
// matches decides, even when its condition fails" are kept as they are; the other two modes are not ported.
namespace NanoT5.Evaluation;

/// <summary>The Porter stemmer exactly as NLTK runs it by default (Porter's algorithm plus NLTK's extensions).</summary>
public static class PorterStemmer
{
    // NLTK's table of irregular forms: word -> stem, checked before any rule.
    private static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["sky"] = "sky", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie", ["news"] = "news",
        ["innings"] = "inning", ["inning"] = "inning", ["outings"] = "outing", ["outing"] = "outing",
        ["cannings"] = "canning", ["canning"] = "canning", ["howe"] = "howe", ["proceed"] = "proceed",
        ["exceed"] = "exceed", ["succeed"] = "succeed",
    };

    // A rule: suffix -> replacement when the condition holds for the word without the suffix. Suffix "*d" means
    // "ends in a double consonant"; a null condition always holds.
    private readonly record struct Rule(string Suffix, string Replacement, Func<string, bool>? Condition);

    private static readonly Func<string, bool> PositiveMeasure = stem => Measure(stem) > 0;
    private static readonly Func<string, bool> MeasureAboveOne = stem => Measure(stem) > 1;

    private static readonly Rule[] Step1aRules = [new("sses", "ss", null), new("ies", "i", null), new("ss", "ss", null), new("s", "", null)];

    private static readonly Rule[] Step3Rules =
    [
        new("icate", "ic", PositiveMeasure), new("ative", "", PositiveMeasure), new("alize", "al", PositiveMeasure),
        new("iciti", "ic", PositiveMeasure), new("ical", "ic", PositiveMeasure), new("ful", "", PositiveMeasure),
        new("ness", "", PositiveMeasure),
    ];

    private static readonly Rule[] Step4Rules =
    [
        new("al", "", MeasureAboveOne), new("ance", "", MeasureAboveOne), new("ence", "", MeasureAboveOne),
        new("er", "", MeasureAboveOne), new("ic", "", MeasureAboveOne), new("able", "", MeasureAboveOne),
        new("ible", "", MeasureAboveOne), new("ant", "", MeasureAboveOne), new("ement", "", MeasureAboveOne),
        new("ment", "", MeasureAboveOne), new("ent", "", MeasureAboveOne),
        new("ion", "", stem => Measure(stem) > 1 && stem[^1] is 's' or 't'),
        new("ou", "", MeasureAboveOne), new("ism", "", MeasureAboveOne), new("ate", "", MeasureAboveOne),
        new("iti", "", MeasureAboveOne), new("ous", "", MeasureAboveOne), new("ive", "", MeasureAboveOne),
        new("ize", "", MeasureAboveOne),
    ];

    /// <summary>
    /// The stem of <paramref name="word"/> (lower-cased first, as NLTK's <c>stem(word)</c> does; meant for the
    /// ASCII letters and digits that <see cref="RougeTokenizer"/> produces).
    /// </summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        string stem = word.ToLowerInvariant();
        if (Irregular.TryGetValue(word, out string? irregular))
        {
            return irregular;
        }

        // NLTK leaves words of one or two letters alone (not in the published algorithm).
        if (word.Length <= 2)
        {
            return stem;
        }

        stem = Step1a(stem);
        stem = Step1b(stem);
        stem = Step1c(stem);
        stem = Step2(stem);
        stem = ApplyRuleList(stem, Step3Rules);
        stem = ApplyRuleList(stem, Step4Rules);
        stem = Step5a(stem);
        return Step5b(stem);
    }

    /// <summary>Porter's consonant: not a, e, i, o, u, and not a y that follows a consonant (y at 0 is one).</summary>
    internal static bool IsConsonant(string word, int i)
    {
        char c = word[i];
        if (c is 'a' or 'e' or 'i' or 'o' or 'u')
        {
            return false;
        }

        if (c != 'y')
        {
            return true;
        }

        // NLTK recurses on the previous letter; a run of y's alternates starting from the opposite of the letter
        // before the run (a run at the start begins with a consonant). Iterative, so long runs cannot overflow.
        int first = i;
        while (first > 0 && word[first - 1] == 'y')
        {
            first--;
        }

        bool beforeRunIsConsonant = first > 0 && IsConsonant(word, first - 1);
        bool firstOfRunIsConsonant = !beforeRunIsConsonant;
        return (i - first) % 2 == 0 ? firstOfRunIsConsonant : !firstOfRunIsConsonant;
    }

    /// <summary>Porter's m: the number of vowel-consonant transitions in the c/v pattern of <paramref name="stem"/>.</summary>
    internal static int Measure(string stem)
    {
        bool[] consonant = ConsonantPattern(stem);
        int m = 0;
        for (int i = 0; i + 1 < consonant.Length; i++)
        {
            if (!consonant[i] && consonant[i + 1])
            {
                m++;
            }
        }

        return m;
    }

    private static bool ContainsVowel(string stem) => Array.IndexOf(ConsonantPattern(stem), false) >= 0;

    // IsConsonant for every position in one pass (a y is the opposite of the letter before it).
    private static bool[] ConsonantPattern(string word)
    {
        var consonant = new bool[word.Length];
        for (int i = 0; i < word.Length; i++)
        {
            consonant[i] = word[i] switch
            {
                'a' or 'e' or 'i' or 'o' or 'u' => false,
                'y' => i == 0 || !consonant[i - 1],
                _ => true,
            };
        }

        return consonant;
    }

    // *d: ends with a double consonant.
    private static bool EndsDoubleConsonant(string word) =>
        word.Length >= 2 && word[^1] == word[^2] && IsConsonant(word, word.Length - 1);

    // *o: ends consonant-vowel-consonant with the last not w, x or y; NLTK also accepts a two-letter vowel-consonant word.
    private static bool EndsCvc(string word) =>
        (word.Length >= 3 && IsConsonant(word, word.Length - 3) && !IsConsonant(word, word.Length - 2)
            && IsConsonant(word, word.Length - 1) && word[^1] is not ('w' or 'x' or 'y'))
        || (word.Length == 2 && !IsConsonant(word, 0) && IsConsonant(word, 1));

    private static string ApplyRuleList(string word, IReadOnlyList<Rule> rules)
    {
        foreach (Rule rule in rules)
        {
            if (rule.Suffix == "*d" && EndsDoubleConsonant(word))
            {
                string stem = word[..^2];
                return rule.Condition is null || rule.Condition(stem) ? stem + rule.Replacement : word;
            }

            if (word.EndsWith(rule.Suffix, StringComparison.Ordinal))
            {
                string stem = word[..^rule.Suffix.Length];
                return rule.Condition is null || rule.Condition(stem) ? stem + rule.Replacement : word;
            }
        }

        return word;
    }

    private static string Step1a(string word)
    {
        // NLTK: "flies" -> "fli" but "dies" -> "die".
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length == 4)
        {
            return word[..^3] + "ie";
        }

        return ApplyRuleList(word, Step1aRules);
    }

    private static string Step1b(string word)
    {
        // NLTK: "spied" -> "spi" but "died" -> "die"; nothing else of step 1b runs after this.
        if (word.EndsWith("ied", StringComparison.Ordinal))
        {
            return word[..^3] + (word.Length == 4 ? "ie" : "i");
        }

        if (word.EndsWith("eed", StringComparison.Ordinal))
        {
            string stem = word[..^3];
            return Measure(stem) > 0 ? stem + "ee" : word;
        }

        string? intermediate = null;
        foreach (string suffix in (ReadOnlySpan<string>)["ed", "ing"])
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal) && ContainsVowel(word[..^suffix.Length]))
            {
                intermediate = word[..^suffix.Length];
                break;
            }
        }

        if (intermediate is null)
        {
            return word;
        }

        char last = intermediate[^1];
        return ApplyRuleList(intermediate,
        [
            new("at", "ate", null),
            new("bl", "ble", null),
            new("iz", "ize", null),
            new("*d", last.ToString(), _ => last is not ('l' or 's' or 'z')),
            new("", "e", stem => Measure(stem) == 1 && EndsCvc(stem)),
        ]);
    }

    // NLTK: y -> i only after a consonant that is not the whole stem ("happy" -> "happi", "enjoy", "by" unchanged).
    private static string Step1c(string word) =>
        ApplyRuleList(word, [new("y", "i", stem => stem.Length > 1 && IsConsonant(stem, stem.Length - 1))]);

    private static string Step2(string word)
    {
        // NLTK applies ALLI -> AL first and runs step 2 again on the result.
        if (word.EndsWith("alli", StringComparison.Ordinal) && Measure(word[..^4]) > 0)
        {
            return Step2(word[..^4] + "al");
        }

        return ApplyRuleList(word,
        [
            new("ational", "ate", PositiveMeasure), new("tional", "tion", PositiveMeasure),
            new("enci", "ence", PositiveMeasure), new("anci", "ance", PositiveMeasure),
            new("izer", "ize", PositiveMeasure), new("bli", "ble", PositiveMeasure),
            new("alli", "al", PositiveMeasure), new("entli", "ent", PositiveMeasure),
            new("eli", "e", PositiveMeasure), new("ousli", "ous", PositiveMeasure),
            new("ization", "ize", PositiveMeasure), new("ation", "ate", PositiveMeasure),
            new("ator", "ate", PositiveMeasure), new("alism", "al", PositiveMeasure),
            new("iveness", "ive", PositiveMeasure), new("fulness", "ful", PositiveMeasure),
            new("ousness", "ous", PositiveMeasure), new("aliti", "al", PositiveMeasure),
            new("iviti", "ive", PositiveMeasure), new("biliti", "ble", PositiveMeasure),
            new("fulli", "ful", PositiveMeasure),
            // The l of -logi stays with the stem for the measure, so "geo", "theo" behave like "archaeo".
            new("logi", "log", _ => Measure(word[..^3]) > 0),
        ]);
    }

    // (m>1) E ->, or (m=1 and not *o) E ->; both conditions are tried, unlike in a rule list.
    private static string Step5a(string word)
    {
        if (word.EndsWith('e'))
        {
            string stem = word[..^1];
            int m = Measure(stem);
            if (m > 1 || (m == 1 && !EndsCvc(stem)))
            {
                return stem;
            }
        }

        return word;
    }

    // (m>1 and *d and *L) -> single letter; NLTK measures the word without its last letter.
    private static string Step5b(string word) =>
        ApplyRuleList(word, [new("ll", "l", _ => Measure(word[..^1]) > 1)]);
}
