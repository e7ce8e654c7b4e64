// What FakeMLflowServer stores, per MLflow backend store.
using System.Collections.Concurrent;

namespace NanoT5.Tests.Tracking;

/// <summary>Which MLflow backend store the fake copies; they differ in how a resent metric is stored.</summary>
internal enum FakeStore
{
    /// <summary>SqlAlchemyStore (mlflow server --backend-store-uri sqlite:///... or a database).</summary>
    Sql,

    /// <summary>FileStore (mlflow server without --backend-store-uri): every logged point is appended to a file.</summary>
    File,
}

/// <summary>What the server holds for one run.</summary>
internal sealed class FakeRun(string id, string experimentId, string name)
{
    public string Id { get; } = id;

    public string ExperimentId { get; } = experimentId;

    public string Name { get; } = name;

    public string Status { get; set; } = "RUNNING";

    public long? EndTime { get; set; }

    public ConcurrentDictionary<string, string> Tags { get; } = new();

    public ConcurrentDictionary<string, string> Params { get; } = new();

    /// <summary>
    /// Stored metrics and how many copies of each the store holds: key+step+timestamp+value is the SQL store's
    /// primary key (one copy at most); the file store appends a copy per logged point.
    /// </summary>
    public ConcurrentDictionary<(string Key, long Step, long Timestamp, double Value), int> Metrics { get; } = new();

    /// <summary>True when every stored point is stored once.</summary>
    public bool EachMetricOnce => Metrics.Values.All(copies => copies == 1);

    // sqlalchemy_store.py _log_metrics: the batch is inserted at once; on a primary-key conflict it is rolled back
    // and, for each chunk of 100 entries, the history of the chunk's keys is read and every point of the batch not
    // in that history is inserted (and committed). A point whose key is not in the chunk is not in that history, so
    // a resend of more than 100 points can conflict again: the reply is 400, with the earlier chunks' inserts kept.
    // A stored NaN never equals the resent one (NaN != NaN), so resending it fails in any batch.
    public bool InsertAsSqlStore(List<(string Key, long Step, long Timestamp, double Value)> points)
    {
        var batch = points.Distinct().ToList();
        if (!batch.Any(Metrics.ContainsKey))
        {
            batch.ForEach(p => Metrics.TryAdd(p, 1));
            return true;
        }

        foreach (string[] chunk in batch.Select(p => p.Key).Chunk(100))
        {
            var keys = chunk.ToHashSet();
            var history = Metrics.Keys.Where(m => keys.Contains(m.Key)).ToHashSet();
            var missing = batch.Where(p => double.IsNaN(p.Value) || !history.Contains(p)).ToList();
            if (missing.Any(Metrics.ContainsKey))
            {
                return false;
            }

            missing.ForEach(p => Metrics.TryAdd(p, 1));
        }

        return true;
    }

    // file_store.py log_batch appends every point it is given to the key's file: a resend is stored twice.
    public void AppendAsFileStore(List<(string Key, long Step, long Timestamp, double Value)> points)
    {
        foreach (var point in points)
        {
            Metrics.AddOrUpdate(point, 1, (_, copies) => copies + 1);
        }
    }
}
