// Ports the source text of nanoT5's DataCollatorForNI (copied from Tk-Instruct) for a fixed encoding
// (tk_instruct off): optional task name, "Definition: ...", positive then negative examples each added only while
// the tokenized text still fits, then the "Now complete the following example" tail. Token counts include the eos
// the HF tokenizer appends; a source that is still too long is cut to max_source_length tokens and decoded.
using NanoT5.Config;
using NanoT5.Data;

namespace NanoT5.Finetune;

/// <summary>Builds the Tk-Instruct prompt of an instance.</summary>
public sealed class SniPromptBuilder(ITextTokenizer tokenizer, FinetuneSettings settings)
{
    /// <summary>The source text the model reads for <paramref name="item"/> (already cut to the max source length).</summary>
    public string Source(SniItem item) => Build(item).Text;

    /// <summary>The source of <paramref name="item"/> and the length of the whole prompt before any cut.</summary>
    public SniSource Build(SniItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        SniTask task = item.Task;
        int maxLength = settings.MaxSourceLength;

        string taskInput = AddPeriod("Now complete the following example -\nInput: " + TextCleanup.Strip(item.Instance.Input)) + "\nOutput: ";
        string taskName = settings.AddTaskName ? task.Name + ". " : string.Empty;
        string definition = settings.AddTaskDefinition ? AddPeriod("Definition: " + TextCleanup.Strip(task.Definition)) + "\n\n" : string.Empty;

        // The fit checks leave out the task name and join the kept examples with " ", as the reference does,
        // although the source itself joins them with "".
        var positive = new List<string>();
        foreach ((SniExample example, int index) in task.PositiveExamples.Take(settings.NumPositiveExamples).Select((e, i) => (e, i)))
        {
            string text = Example("Positive", index + 1, example);
            if (TokenCount(definition + string.Join(" ", positive) + text + taskInput) > maxLength)
            {
                break;
            }

            positive.Add(text);
        }

        var negative = new List<string>();
        foreach ((SniExample example, int index) in task.NegativeExamples.Take(settings.NumNegativeExamples).Select((e, i) => (e, i)))
        {
            string text = Example("Negative", index + 1, example);
            if (TokenCount(definition + string.Join(" ", positive) + string.Join(" ", negative) + text + taskInput) > maxLength)
            {
                break;
            }

            negative.Add(text);
        }

        string source = taskName + definition + string.Concat(positive) + string.Concat(negative) + taskInput;
        IReadOnlyList<int> ids = tokenizer.Encode(source);
        // ids plus eos longer than the limit: keep the first max_source_length ids (no eos among them) as text.
        return new SniSource(ids.Count + 1 <= maxLength ? source : tokenizer.Decode(ids.Take(maxLength)), ids.Count + 1);
    }

    private string Example(string kind, int number, SniExample example)
    {
        string text = AddPeriod($" {kind} Example {number} -\nInput: {TextCleanup.Strip(example.Input)}") + "\n";
        text = AddPeriod(text + $" Output: {TextCleanup.Strip(example.Output)}") + "\n";
        if (settings.AddExplanation && example.Explanation is not null)
        {
            text = AddPeriod(text + $" Explanation: {TextCleanup.Strip(example.Explanation)}") + "\n";
        }

        return text + "\n";
    }

    // Length of the HF tokenization: the ids plus the eos it appends.
    private int TokenCount(string text) => tokenizer.Encode(text).Count + 1;

    private static string AddPeriod(string text) => TextCleanup.IsPunctuation(text[^1]) ? text : text + ".";
}

/// <summary>A built prompt: <see cref="Text"/> as the model reads it, <see cref="Tokens"/> of the whole prompt (eos included) before it was cut.</summary>
public sealed record SniSource(string Text, int Tokens);
