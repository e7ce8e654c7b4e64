// T5's own tokenizer: a SentencePiece model (spiece.model) through Microsoft.ML.Tokenizers, ids unchanged.
using Microsoft.ML.Tokenizers;

namespace NanoT5.Data.Tokenizers;

/// <summary>A T5-layout SentencePiece model plus 100 sentinels (T5: 32,000 pieces → Count 32,100 → vocab 32,128).</summary>
public sealed class SentencePieceT5Tokenizer : T5LayoutTokenizer
{
    private readonly SentencePieceTokenizer tokenizer;

    private SentencePieceT5Tokenizer(SentencePieceModelFile model, SentencePieceTokenizer tokenizer)
    {
        Model = model;
        this.tokenizer = tokenizer;
    }

    /// <summary>The model file (exported to HF folders unchanged).</summary>
    public SentencePieceModelFile Model { get; }

    public override int RegularCount => Model.PieceCount;

    /// <summary>Loads <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming it when it is not in T5's layout.</summary>
    public static SentencePieceT5Tokenizer Load(string path)
    {
        SentencePieceModelFile model = SentencePieceModelFile.Load(path);
        IReadOnlyList<string> problems = model.LayoutProblems();
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{path}: not a T5-layout SentencePiece model: {string.Join("; ", problems)}");
        }

        using var stream = new MemoryStream(model.LoadableBytes());
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        return new SentencePieceT5Tokenizer(model, tokenizer);
    }

    public override IReadOnlyList<int> Encode(string text)
    {
        IReadOnlyList<int> ids = tokenizer.EncodeToIds(text);
        return Model.ModelType == 1 ? MergeUnknownRuns(ids) : ids;
    }

    // SentencePiece's unigram Encode merges a run of unknown characters into one <unk>; the library emits one per character.
    private static IReadOnlyList<int> MergeUnknownRuns(IReadOnlyList<int> ids)
    {
        int previous = -1;
        List<int>? merged = null;
        for (int i = 0; i < ids.Count; i++)
        {
            int id = ids[i];
            if (id == T5Layout.UnkId && previous == T5Layout.UnkId)
            {
                merged ??= [.. ids.Take(i)];
            }
            else
            {
                merged?.Add(id);
            }

            previous = id;
        }

        return merged ?? ids;
    }

    /// <summary>Id of the piece spelled <paramref name="piece"/>, or null when the model has none.</summary>
    public int? PieceId(string piece) => tokenizer.Vocabulary.TryGetValue(piece, out int id) ? id : null;

    protected override string DecodeRegular(IReadOnlyList<int> ids) => tokenizer.Decode(ids);
}
