// tracking/set-aside.jsonl: what the tracker refused for a reason a resend cannot fix (a key it rejects, a key
// two names share, a value it cannot store). One bad point must not block a run's delivery: it is recorded here,
// named in one warning, and delivery goes on. The point itself stays in metrics.jsonl.
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NanoT5.Tracking.Outbox;

/// <summary>Appends refused points and params to the run folder's set-aside record.</summary>
internal sealed class SetAsideLog(string path)
{
    // One object per line; the tracker's reasons are kept readable (quotes and non-ASCII names unescaped).
    private static readonly JsonSerializerOptions LineOptions = new(Local.TrackingJson.Options) { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Path { get; } = path;

    public void Metric(MetricPoint point, string reason) => Append(new Dictionary<string, object>
    {
        ["kind"] = "metric", ["name"] = point.Name, ["step"] = point.Step, ["value"] = point.Value, ["timestamp"] = point.TimestampMs, ["reason"] = reason,
    });

    public void Entry(string kind, string name, string reason) => Append(new Dictionary<string, object> { ["kind"] = kind, ["name"] = name, ["reason"] = reason });

    private void Append(Dictionary<string, object> record)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        File.AppendAllText(Path, JsonSerializer.Serialize(record, LineOptions) + "\n");
    }
}
