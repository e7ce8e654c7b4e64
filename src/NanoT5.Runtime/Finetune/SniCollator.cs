// Ports the tensor side of nanoT5's DataCollatorForNI: sources tokenized with truncation to max_source_length
// (eos included), labels to max_target_length, padding="longest" with pad_to_multiple_of=8, pad id 0 for inputs,
// -100 for labels.
using NanoT5.Config;
using NanoT5.Data;
using static TorchSharp.torch;

namespace NanoT5.Finetune;

/// <summary>Turns rows into <see cref="SniBatch"/>es.</summary>
public sealed class SniCollator(ITextTokenizer tokenizer, FinetuneSettings settings)
{
    /// <summary>Label id on padding, ignored by the loss.</summary>
    public const long LabelPadId = -100;

    /// <summary>Batches are padded to a multiple of this many tokens (nanoT5: 8).</summary>
    public const int PadToMultipleOf = 8;

    private readonly SniPromptBuilder prompts = new(tokenizer, settings);

    /// <summary>The prompt builder the collator uses.</summary>
    public SniPromptBuilder Prompts => prompts;

    /// <summary>Encoder ids of a row: the source's ids cut to max_source_length - 1, then eos.</summary>
    public int[] InputIds(SniRow row) => WithEos(tokenizer.Encode(prompts.Source(row.Item)), settings.MaxSourceLength);

    /// <summary>Label ids of a row: the drawn reference's ids cut to max_target_length - 1, then eos.</summary>
    public int[] LabelIds(SniRow row) => WithEos(tokenizer.Encode(row.Label), settings.MaxTargetLength);

    /// <summary>Collates <paramref name="rows"/> into CPU tensors.</summary>
    public SniBatch Collate(IReadOnlyList<SniRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one row.", nameof(rows));
        }

        int[][] inputs = rows.Select(InputIds).ToArray();
        int[][] labels = rows.Select(LabelIds).ToArray();
        string[] labelReferences = labels.Select(ids => SniPredictionText.Decode(tokenizer, ids)).ToArray();
        return new SniBatch(
            Padded(inputs, tokenizer.PadId, out long[] mask),
            tensor(mask, [rows.Count, mask.Length / rows.Count], ScalarType.Int64),
            Padded(labels, LabelPadId, out _),
            rows,
            labelReferences);
    }

    /// <summary>Longest row rounded up to a multiple of <see cref="PadToMultipleOf"/>.</summary>
    public static int PaddedLength(int longest) => (longest + PadToMultipleOf - 1) / PadToMultipleOf * PadToMultipleOf;

    private int[] WithEos(IReadOnlyList<int> ids, int maxLength)
    {
        int kept = Math.Min(ids.Count, maxLength - 1);
        var result = new int[kept + 1];
        for (int i = 0; i < kept; i++)
        {
            result[i] = ids[i];
        }

        result[kept] = tokenizer.EosId;
        return result;
    }

    /// <summary>Rows padded with <paramref name="padId"/> to <see cref="PaddedLength"/> as a (B, T) tensor; <paramref name="mask"/> marks real tokens.</summary>
    internal static Tensor Padded(int[][] rows, long padId, out long[] mask)
    {
        int length = PaddedLength(rows.Max(r => r.Length));
        var data = new long[rows.Length * length];
        mask = new long[rows.Length * length];
        for (int b = 0; b < rows.Length; b++)
        {
            for (int t = 0; t < length; t++)
            {
                bool token = t < rows[b].Length;
                data[(b * length) + t] = token ? rows[b][t] : padId;
                mask[(b * length) + t] = token ? 1 : 0;
            }
        }

        return tensor(data, [rows.Length, length], ScalarType.Int64); // (B, length)
    }
}
