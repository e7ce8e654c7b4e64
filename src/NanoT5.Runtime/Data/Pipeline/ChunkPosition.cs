// Where a chunk of documents starts: enough to read it again after a restart.
namespace NanoT5.Data.Pipeline;

/// <summary>Shard <paramref name="ShardOrdinal"/> of epoch <paramref name="Epoch"/>'s shard order, from record <paramref name="FirstRecord"/>.</summary>
public readonly record struct ChunkPosition(long Epoch, int ShardOrdinal, long FirstRecord)
{
    public override string ToString() => $"epoch {Epoch}, shard #{ShardOrdinal}, record {FirstRecord}";
}
