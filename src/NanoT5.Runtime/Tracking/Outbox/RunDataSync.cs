// Params and tags as the tracker takes them: one key per name (a second name with the same tracker key is
// refused with a warning naming both), values cut to the tracker's limits with a marker (MLflow: params 6000
// characters, tags 5000; a longer value would refuse the whole request), and a param or tag the tracker refuses
// set aside instead of blocking every later delivery.
using System.Text;
using NanoT5.Tracking.Remote;
using Polly;

namespace NanoT5.Tracking.Outbox;

/// <summary>Mirrors the run's params and tags on the remote run.</summary>
internal sealed class RunDataSync(ITrackingBackend backend, ResiliencePipeline pipeline, SetAsideLog setAside, TrackerLog log)
{
    /// <summary>Ends a value cut to the tracker's limit.</summary>
    public const string CutMarker = "...[cut]";

    private readonly KeyClaims paramKeys = new(backend.RemoteKey);
    private readonly KeyClaims tagKeys = new(backend.RemoteKey);
    private readonly HashSet<string> warned = new(StringComparer.Ordinal);

    /// <summary><paramref name="request"/> with its tags claimed and cut like every later tag.</summary>
    public RemoteRunRequest Prepare(RemoteRunRequest request) =>
        request with { Tags = Tags(request.Tags).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal) };

    public async Task SyncAsync(string runId, RunData data, CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> parameters = [.. Accepted("param", data.Params, paramKeys, backend.MaxParamValueLength)];
        foreach (KeyValuePair<string, string>[] chunk in parameters.Chunk(backend.MaxParamsPerBatch))
        {
            try
            {
                await Execute(ct => backend.LogBatchAsync(runId, [], chunk, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (TrackerRequestException e) when (TrackerRefusal.Is(e) && chunk.Length > 1)
            {
                // Find the params it refuses: one request each.
                foreach (KeyValuePair<string, string> single in chunk)
                {
                    await SendOrSetAsideAsync("param", single.Key, ct => backend.LogBatchAsync(runId, [], [single], ct), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (TrackerRequestException e) when (TrackerRefusal.Is(e))
            {
                SetAside("param", chunk[0].Key, e.Message);
            }
        }

        foreach ((string key, string value) in Tags(data.Tags))
        {
            await SendOrSetAsideAsync("tag", key, ct => backend.SetTagAsync(runId, key, value, ct), cancellationToken).ConfigureAwait(false);
        }
    }

    private IEnumerable<KeyValuePair<string, string>> Tags(IEnumerable<KeyValuePair<string, string>> tags) =>
        Accepted("tag", tags, tagKeys, backend.MaxTagValueLength);

    private IEnumerable<KeyValuePair<string, string>> Accepted(string kind, IEnumerable<KeyValuePair<string, string>> entries, KeyClaims claims, int maxValue)
    {
        foreach ((string name, string value) in entries)
        {
            if (claims.Rival(name) is { } rival)
            {
                Warn($"{kind} '{name}' is not sent: the tracker stores it under '{claims.KeyOf(name)}', the key of {kind} '{rival}' (the two would merge); rename one.");
                continue;
            }

            yield return new(name, Cut(kind, name, value, maxValue));
        }
    }

    private string Cut(string kind, string name, string value, int limit)
    {
        int length = value.EnumerateRunes().Count();
        if (length <= limit)
        {
            return value;
        }

        Warn($"{kind} '{name}' has a value of {length} characters; the tracker stores at most {limit}, so it is cut and ends with '{CutMarker}' (the whole value is in the run folder).");
        var cut = new StringBuilder();
        foreach (Rune rune in value.EnumerateRunes().Take(limit - CutMarker.Length))
        {
            cut.Append(rune.ToString());
        }

        return cut.Append(CutMarker).ToString();
    }

    private async Task SendOrSetAsideAsync(string kind, string name, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await Execute(call, cancellationToken).ConfigureAwait(false);
        }
        catch (TrackerRequestException e) when (TrackerRefusal.Is(e))
        {
            SetAside(kind, name, e.Message);
        }
    }

    private void SetAside(string kind, string name, string reason)
    {
        setAside.Entry(kind, name, reason);
        Warn($"{kind} '{name}' is refused by the tracker ({reason}); it is set aside in {setAside.Path} and delivery goes on.");
    }

    // Each warning once per process: params and tags are synced again whenever one of them changes.
    private void Warn(string message)
    {
        if (warned.Add(message))
        {
            log.Warn(message);
        }
    }

    private Task Execute(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async ct => await call(ct).ConfigureAwait(false), cancellationToken).AsTask();
}
