// Reads the few facts the project needs from a SentencePiece ModelProto (sentencepiece_model.proto) and
// prepares the bytes Microsoft.ML.Tokenizers 2.0.1 can load. Its unigram model indexes its piece table
// with trainer_spec.bos_id and so crashes on T5's bos_id = -1; the fix appends a second trainer_spec
// holding bos_id/bos_piece = eos_id/eos_piece. Protobuf merges repeated embedded messages field by field,
// so only the bos fields change; the library then writes eos's own entry twice and no id changes.
using System.Text;
using Google.Protobuf;

namespace NanoT5.Data.Tokenizers;

/// <summary>A SentencePiece model file and its T5-relevant trainer settings.</summary>
public sealed class SentencePieceModelFile
{
    private const int PiecesField = 1;

    // Far above any real piece (T5's longest is 16 characters), far below what the trie's recursion overflows at.
    private const int MaxPieceBytes = 4096;
    private const int TrainerSpecField = 2;
    private const int ModelTypeField = 3;
    private const int UnkIdField = 40;
    private const int BosIdField = 41;
    private const int EosIdField = 42;
    private const int PadIdField = 43;
    private const int BosPieceField = 46;
    private const int EosPieceField = 47;

    private SentencePieceModelFile(string path, byte[] bytes)
    {
        Path = path;
        Bytes = bytes;
    }

    public string Path { get; }

    /// <summary>The file as written by spm_train (exported unchanged).</summary>
    public byte[] Bytes { get; }

    /// <summary>Regular pieces, control pieces included (T5: 32,000).</summary>
    public int PieceCount { get; private set; }

    /// <summary>1 unigram, 2 bpe, 3 word, 4 char.</summary>
    public int ModelType { get; private set; } = 1;

    public int UnkId { get; private set; }

    public int BosId { get; private set; } = 1;

    public int EosId { get; private set; } = 2;

    public int PadId { get; private set; } = -1;

    public string EosPiece { get; private set; } = "</s>";

    /// <summary>Reads <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming it when it is no SentencePiece model.</summary>
    public static SentencePieceModelFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"SentencePiece model not found: {path} (set tokenizer.path, or train one with `tokenizer train`)", path);
        }

        Native.FileKind.ThrowIfNotRegularFile(path, "SentencePiece model");
        var file = new SentencePieceModelFile(path, File.ReadAllBytes(path));
        try
        {
            file.Parse();
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: not a SentencePiece model ({e.Message})", e);
        }

        if (file.PieceCount == 0)
        {
            throw new InvalidDataException($"{path}: not a SentencePiece model (no pieces)");
        }

        return file;
    }

    /// <summary>Problems that keep this model from T5's layout (pad 0, eos 1, unk 2); empty when it fits.</summary>
    public IReadOnlyList<string> LayoutProblems()
    {
        var problems = new List<string>();
        if (PadId != T5Layout.PadId || EosId != T5Layout.EosId || UnkId != T5Layout.UnkId)
        {
            problems.Add($"ids pad={PadId} eos={EosId} unk={UnkId}, T5 needs pad=0 eos=1 unk=2 (train with --pad_id=0 --eos_id=1 --unk_id=2 --bos_id=-1)");
        }

        if (ModelType is not (1 or 2))
        {
            problems.Add($"model type {ModelType} is neither unigram (1) nor bpe (2)");
        }

        return problems;
    }

    /// <summary>The bytes to hand to Microsoft.ML.Tokenizers: unchanged, or with the bos fields pointed at eos when bos is off.</summary>
    public byte[] LoadableBytes()
    {
        if (BosId >= 0)
        {
            return Bytes;
        }

        using var spec = new MemoryStream();
        using (var output = new CodedOutputStream(spec, leaveOpen: true))
        {
            output.WriteTag(BosIdField, WireFormat.WireType.Varint);
            output.WriteInt32(EosId);
            output.WriteTag(BosPieceField, WireFormat.WireType.LengthDelimited);
            output.WriteString(EosPiece);
        }

        using var patched = new MemoryStream(Bytes.Length + (int)spec.Length + 8);
        patched.Write(Bytes);
        using (var output = new CodedOutputStream(patched, leaveOpen: true))
        {
            output.WriteTag(TrainerSpecField, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(spec.ToArray()));
        }

        return patched.ToArray();
    }

    private void Parse()
    {
        var pieces = new HashSet<string>(StringComparer.Ordinal);
        var input = new CodedInputStream(Bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case PiecesField:
                    CheckPiece(input.ReadBytes(), PieceCount++, pieces);
                    break;
                case TrainerSpecField:
                    ParseTrainerSpec(input.ReadBytes());
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
    }

    // SentencePiece { piece = 1, score = 2, type = 3 }: a piece the tokenizer cannot tell apart, or a NaN score, makes
    // ids ambiguous or decoding undefined, so the model is refused here, naming the file, not deep in the tokenizer.
    private void CheckPiece(ByteString message, int id, HashSet<string> pieces)
    {
        var input = new CodedInputStream(message.ToByteArray());
        string piece = string.Empty;
        float score = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    piece = input.ReadString();
                    break;
                case 2:
                    score = input.ReadFloat();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        if (piece.Length == 0)
        {
            throw new InvalidDataException($"{Path}: piece {id} is empty; every SentencePiece piece needs text.");
        }

        if (piece.Contains('\0', StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{Path}: piece {id} holds a NUL character (U+0000), which the tokenizer's trie cannot store.");
        }

        if (Encoding.UTF8.GetByteCount(piece) > MaxPieceBytes)
        {
            throw new InvalidDataException(
                $"{Path}: piece {id} is {Encoding.UTF8.GetByteCount(piece):N0} bytes long, more than the {MaxPieceBytes} a piece may have " +
                "(SentencePiece's trainer makes pieces of at most 16 characters by default; the tokenizer's trie recurses once per byte).");
        }

        if (float.IsNaN(score))
        {
            throw new InvalidDataException($"{Path}: piece {id} ('{piece}') has a NaN score.");
        }

        if (!pieces.Add(piece))
        {
            throw new InvalidDataException($"{Path}: piece {id} ('{piece}') appears twice; every SentencePiece piece must be unique.");
        }
    }

    private void ParseTrainerSpec(ByteString spec)
    {
        var input = new CodedInputStream(spec.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case ModelTypeField:
                    ModelType = input.ReadEnum();
                    break;
                case UnkIdField:
                    UnkId = input.ReadInt32();
                    break;
                case BosIdField:
                    BosId = input.ReadInt32();
                    break;
                case EosIdField:
                    EosId = input.ReadInt32();
                    break;
                case PadIdField:
                    PadId = input.ReadInt32();
                    break;
                case EosPieceField:
                    EosPiece = input.ReadString();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
    }
}
