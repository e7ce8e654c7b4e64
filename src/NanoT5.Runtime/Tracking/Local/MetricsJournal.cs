// metrics.jsonl, the run's metric record and the outbox the remote sender reads. Each point is one
// positional write of one whole line, so a process killed at any moment leaves at most a torn last line,
// which readers ignore and the next writer cuts off. FlushToDisk adds durability against power loss.
using Microsoft.Win32.SafeHandles;
using NanoT5.IO;

namespace NanoT5.Tracking.Local;

/// <summary>Points read from the journal and the offset just after the last line read.</summary>
public sealed record MetricBatch(IReadOnlyList<MetricPoint> Points, long EndOffset, int MalformedLines);

/// <summary>An append-only JSON-lines file of metric points.</summary>
public sealed class MetricsJournal : IDisposable
{
    private const int ReadBlock = 1 << 16;
    private readonly SafeFileHandle handle;
    private readonly Lock appendGate = new();
    private long length;

    private MetricsJournal(string path, SafeFileHandle handle, long length)
    {
        Path = path;
        this.handle = handle;
        this.length = length;
    }

    public string Path { get; }

    /// <summary>Bytes of complete lines written so far; readers never look past it.</summary>
    public long Length => Volatile.Read(ref length);

    /// <summary>Opens (or creates) the journal for appending, cutting off a torn last line left by a crash.</summary>
    public static MetricsJournal Open(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        RunFolderRecord.BeforeWrite(path);
        SafeFileHandle handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            // Appended in place, so it must be this name's own file: not a link, not a file with a second name outside.
            RunFolderRecord.RefuseOtherNames(path, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        long complete = CompleteLength(handle, RandomAccess.GetLength(handle));
        RandomAccess.SetLength(handle, complete);
        return new MetricsJournal(path, handle, complete);
    }

    /// <summary>Appends one point; it is in the operating system's hands when this returns (survives a process kill).</summary>
    public void Append(MetricPoint point)
    {
        byte[] line = MetricLine.Encode(point);
        lock (appendGate)
        {
            RandomAccess.Write(handle, line, length);
            Volatile.Write(ref length, length + line.Length);
        }
    }

    /// <summary>Forces everything appended so far to the disk (fsync); safe to call from any thread.</summary>
    public void FlushToDisk() => RandomAccess.FlushToDisk(handle);

    /// <summary>Up to <paramref name="maxPoints"/> points from the line starting at <paramref name="offset"/>.</summary>
    public MetricBatch Read(long offset, int maxPoints) => Read(handle, offset, Length, maxPoints);

    /// <summary>Every complete point of the journal at <paramref name="path"/> (a torn last line is ignored).</summary>
    public static IReadOnlyList<MetricPoint> ReadAll(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Read(handle, 0, RandomAccess.GetLength(handle), int.MaxValue).Points;
    }

    public void Dispose() => handle.Dispose();

    private static MetricBatch Read(SafeFileHandle handle, long offset, long end, int maxPoints)
    {
        var points = new List<MetricPoint>();
        int malformed = 0;
        long lineStart = offset;
        var pending = new List<byte>();
        byte[] block = new byte[ReadBlock];
        for (long position = offset; position < end && points.Count < maxPoints;)
        {
            int read = RandomAccess.Read(handle, block.AsSpan(0, (int)Math.Min(block.Length, end - position)), position);
            if (read <= 0)
            {
                break;
            }

            int consumed = 0;
            for (int newline; points.Count < maxPoints && (newline = Array.IndexOf(block, (byte)'\n', consumed, read - consumed)) >= 0; consumed = newline + 1)
            {
                pending.AddRange(block.AsSpan(consumed, newline - consumed));
                if (MetricLine.TryDecode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending), out MetricPoint point))
                {
                    points.Add(point);
                }
                else
                {
                    malformed++;
                }

                lineStart += pending.Count + 1;
                pending.Clear();
            }

            if (points.Count < maxPoints)
            {
                pending.AddRange(block.AsSpan(consumed, read - consumed));
            }

            position += points.Count < maxPoints ? read : consumed;
        }

        return new MetricBatch(points, lineStart, malformed);
    }

    // The length up to and including the last newline.
    private static long CompleteLength(SafeFileHandle handle, long fileLength)
    {
        byte[] block = new byte[ReadBlock];
        for (long end = fileLength; end > 0;)
        {
            long start = Math.Max(0, end - block.Length);
            int read = RandomAccess.Read(handle, block.AsSpan(0, (int)(end - start)), start);
            int newline = Array.LastIndexOf(block, (byte)'\n', read - 1, read);
            if (newline >= 0)
            {
                return start + newline + 1;
            }

            end = start;
        }

        return 0;
    }
}
