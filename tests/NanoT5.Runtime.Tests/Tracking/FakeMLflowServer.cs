// A real HTTP server on 127.0.0.1 (Kestrel) implementing the MLflow REST endpoints the tracker uses, with the
// behaviour of MLflow 2.10.2 (../shared/mlflow-server, checked against it) where delivery depends on it, and
// scripted faults per endpoint. Each copied behaviour names its source; MLflowRealServerTests run the tracker
// against the real server for the same cases.
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NanoT5.Tests.Tracking;

internal sealed class FakeMLflowServer : IAsyncDisposable
{
    // mlflow/utils/validation.py: MAX_METRICS_PER_BATCH, MAX_PARAMS_TAGS_PER_BATCH,
    // MAX_PARAM_VAL_LENGTH, MAX_TAG_VAL_LENGTH.
    private const int MaxMetricsPerBatch = 1000;
    private const int MaxParamsTagsPerBatch = 100;
    private const int MaxParamValueLength = 6000;
    private const int MaxTagValueLength = 5000;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> faults = new();
    private readonly ConcurrentDictionary<string, string> experiments = new();
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private WebApplication? app;
    private int nextId;
    private int metricsReceived;

    private FakeMLflowServer(string? requiredToken, TimeProvider time, FakeStore store)
    {
        RequiredToken = requiredToken;
        this.time = time;
        Store = store;
    }

    public Uri Url { get; private set; } = null!;

    public FakeStore Store { get; }

    /// <summary>When set, requests without "Bearer {token}" get 401 (whose message echoes what was sent).</summary>
    public string? RequiredToken { get; }

    public ConcurrentDictionary<string, FakeRun> Runs { get; } = new();

    /// <summary>Characters of filler before the 401 message echoes the Authorization header (a server that echoes it late).</summary>
    public int EchoOffset { get; set; }

    /// <summary>How the 401 message echoes the Authorization header it got (default: as sent).</summary>
    public Func<string, string> Echo { get; set; } = header => header;

    /// <summary>
    /// Metric names whose points the server refuses with 400 INVALID_PARAMETER_VALUE, standing for any point MLflow's
    /// validation refuses (validation.py _validate_metric: a value that is not a double, a negative timestamp).
    /// </summary>
    public ConcurrentDictionary<string, bool> RefusedMetricNames { get; } = new();

    /// <summary>Metric points received over all log-batch requests, resends included.</summary>
    public int MetricsReceived => Volatile.Read(ref metricsReceived);

    public ConcurrentQueue<string> AuthorizationHeaders { get; } = new();

    /// <summary>(endpoint, arrival time, metrics in the request, whether it had a Content-Length) of every request, faulted ones included.</summary>
    public ConcurrentQueue<(string Endpoint, DateTimeOffset At, int Metrics, bool HadContentLength)> Requests { get; } = new();

    /// <summary>Bytes of oversized error bodies the server managed to write before the client stopped reading.</summary>
    public long HugeBodyBytesWritten => Interlocked.Read(ref hugeBodyBytesWritten);

    private long hugeBodyBytesWritten;

    /// <summary>Starts on a free loopback port; arrival times and slow replies follow <paramref name="time"/> (the tracker's clock in a test).</summary>
    public static async Task<FakeMLflowServer> StartAsync(string? requiredToken = null, TimeProvider? time = null, FakeStore store = FakeStore.Sql)
    {
        var server = new FakeMLflowServer(requiredToken, time ?? TimeProvider.System, store);
        await server.ListenAsync(port: 0);
        return server;
    }

    public FakeRun SingleRun() => Assert.Single(Runs.Values);

    /// <summary>Faults for the next requests to <paramref name="endpoint"/> ("runs/log-batch", "runs/create", ...), in order.</summary>
    public void Inject(string endpoint, params Fault[] next)
    {
        ConcurrentQueue<Fault> queue = faults.GetOrAdd(endpoint, _ => new ConcurrentQueue<Fault>());
        foreach (Fault fault in next)
        {
            queue.Enqueue(fault);
        }
    }

    /// <summary>Stops listening (connections are refused) until <see cref="RestartAsync"/>; the stored data stays.</summary>
    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    public Task RestartAsync() => ListenAsync(Url.Port);

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task ListenAsync(int port)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        WebApplication web = builder.Build();
        web.Map("/api/2.0/mlflow/{**endpoint}", HandleAsync);
        await web.StartAsync();
        Url = new Uri(web.Urls.Single());
        app = web;
    }

    private async Task HandleAsync(HttpContext context)
    {
        string endpoint = (string)context.Request.RouteValues["endpoint"]!;
        string authorization = context.Request.Headers.Authorization.ToString();
        AuthorizationHeaders.Enqueue(authorization);
        using var read = new MemoryStream();
        await context.Request.Body.CopyToAsync(read, context.RequestAborted);
        bool post = context.Request.Method == "POST";
        if (post && read.Length == 0)
        {
            // Flask under MLflow's server answers a POST without a body (what a proxy that drops chunked bodies
            // passes on) with its HTML 500 page, not an API error.
            Requests.Enqueue((endpoint, time.GetUtcNow(), 0, context.Request.ContentLength is not null));
            context.Response.StatusCode = 500;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<!doctype html><title>500 Internal Server Error</title>", context.RequestAborted);
            return;
        }

        JsonNode? body = post ? JsonNode.Parse(read.ToArray()) : null;
        Requests.Enqueue((endpoint, time.GetUtcNow(), body?["metrics"]?.AsArray().Count ?? 0, context.Request.ContentLength is not null));

        if (RequiredToken is not null && authorization != $"Bearer {RequiredToken}")
        {
            await ReplyAsync(context, HttpStatusCode.Unauthorized, Error("UNAUTHENTICATED", $"{new string('.', EchoOffset)}invalid token in '{Echo(authorization)}'"));
            return;
        }

        // Faults scripted for "runs/log-batch" hit batches that carry metrics, not the params-only ones.
        string faultKey = endpoint == "runs/log-batch" && (body?["metrics"]?.AsArray().Count ?? 0) == 0 ? "runs/log-batch (params)" : endpoint;
        Fault? fault = faults.TryGetValue(faultKey, out ConcurrentQueue<Fault>? queue) && queue.TryDequeue(out Fault? f) ? f : null;
        if (fault?.DropBefore == true)
        {
            context.Abort();
            return;
        }

        if (fault?.Delay is TimeSpan delay)
        {
            await Task.Delay(delay, time, context.RequestAborted);
        }

        if (fault?.HugeBodyBytes > 0)
        {
            await WriteHugeBodyAsync(context, fault.Status ?? HttpStatusCode.InternalServerError, fault.HugeBodyBytes);
            return;
        }

        if (fault?.Status is HttpStatusCode status)
        {
            if (fault.RetryAfterSeconds is int seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            await ReplyAsync(context, status, Error("INTERNAL_ERROR", "injected fault"));
            return;
        }

        (HttpStatusCode code, JsonObject reply) = Process(endpoint, context.Request.Query, body);
        if (fault?.DropAfter == true)
        {
            context.Abort();
            return;
        }

        if (fault?.Garbage is string garbage)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(garbage, context.RequestAborted);
            return;
        }

        if (fault?.HalfJson == true)
        {
            string json = reply.ToJsonString();
            context.Response.StatusCode = (int)code;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json[..(json.Length / 2)], context.RequestAborted);
            return;
        }

        if (fault?.CutReply == true)
        {
            byte[] whole = Encoding.UTF8.GetBytes(reply.ToJsonString());
            context.Response.StatusCode = (int)code;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(whole.AsMemory(0, whole.Length / 2), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }

        await ReplyAsync(context, code, reply);
    }

    private async Task WriteHugeBodyAsync(HttpContext context, HttpStatusCode status, long bytes)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/plain";
        context.Response.ContentLength = bytes;
        byte[] block = Encoding.ASCII.GetBytes(new string('x', 1 << 16));
        try
        {
            // Through the response pipe: a flush waits while the client does not read, and reports completion
            // once the connection is gone (Kestrel's stream would go on accepting writes into the void).
            for (long written = 0; written < bytes && !context.RequestAborted.IsCancellationRequested; written += block.Length)
            {
                int count = (int)Math.Min(block.Length, bytes - written);
                System.IO.Pipelines.FlushResult result = await context.Response.BodyWriter.WriteAsync(block.AsMemory(0, count), context.RequestAborted);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }

                Interlocked.Add(ref hugeBodyBytesWritten, count);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client stopped reading and closed the connection.
        }
    }

    private (HttpStatusCode, JsonObject) Process(string endpoint, IQueryCollection query, JsonNode? body)
    {
        lock (gate)
        {
            switch (endpoint)
            {
                case "experiments/get-by-name":
                    return experiments.TryGetValue(query["experiment_name"].ToString(), out string? id)
                        ? (HttpStatusCode.OK, new JsonObject { ["experiment"] = new JsonObject { ["experiment_id"] = id, ["name"] = query["experiment_name"].ToString() } })
                        : (HttpStatusCode.NotFound, Error("RESOURCE_DOES_NOT_EXIST", "no such experiment"));
                case "experiments/create":
                    string name = body!["name"]!.GetValue<string>();
                    if (experiments.ContainsKey(name))
                    {
                        return (HttpStatusCode.BadRequest, Error("RESOURCE_ALREADY_EXISTS", "experiment exists"));
                    }

                    experiments[name] = $"{++nextId}";
                    return (HttpStatusCode.OK, new JsonObject { ["experiment_id"] = experiments[name] });
                case "runs/create":
                    var run = new FakeRun($"run{++nextId:D4}", body!["experiment_id"]!.GetValue<string>(), body["run_name"]!.GetValue<string>());
                    foreach (JsonNode? tag in body["tags"]?.AsArray() ?? [])
                    {
                        run.Tags[tag!["key"]!.GetValue<string>()] = tag["value"]!.GetValue<string>();
                    }

                    Runs[run.Id] = run;
                    return (HttpStatusCode.OK, RunReply(run));
                case "runs/search":
                    string filter = body!["filter"]!.GetValue<string>();
                    JsonArray found = [.. Runs.Values.Where(r => r.Tags.Any(t => filter == $"tags.`{t.Key}` = '{t.Value}'")).Select(r => RunReply(r)["run"]!.DeepClone())];
                    return (HttpStatusCode.OK, found.Count == 0 ? [] : new JsonObject { ["runs"] = found });
                case "metrics/get-history":
                    return History(query["run_id"].ToString(), query["metric_key"].ToString());
                default:
                    return ProcessRunUpdate(endpoint, body!);
            }
        }
    }

    // handlers.py get_metric_history: every stored point of one key; the SQL store returns a NaN as "NaN" (its
    // is_nan column) and an infinity as the largest double it stored instead; the file store returns each copy.
    private (HttpStatusCode, JsonObject) History(string runId, string key)
    {
        if (!Runs.TryGetValue(runId, out FakeRun? run))
        {
            return (HttpStatusCode.NotFound, Error("RESOURCE_DOES_NOT_EXIST", $"Run with id={runId} not found"));
        }

        JsonArray points = [];
        foreach (((string Key, long Step, long Timestamp, double Value) point, int copies) in run.Metrics.Where(m => m.Key.Key == key).OrderBy(m => m.Key.Step))
        {
            for (int copy = 0; copy < copies; copy++)
            {
                points.Add(new JsonObject { ["key"] = point.Key, ["value"] = WireValue(StoredValue(point.Value)), ["timestamp"] = point.Timestamp, ["step"] = point.Step });
            }
        }

        return (HttpStatusCode.OK, points.Count == 0 ? [] : new JsonObject { ["metrics"] = points });
    }

    private (HttpStatusCode, JsonObject) ProcessRunUpdate(string endpoint, JsonNode body)
    {
        if (!Runs.TryGetValue(body["run_id"]!.GetValue<string>(), out FakeRun? run))
        {
            return (HttpStatusCode.NotFound, Error("RESOURCE_DOES_NOT_EXIST", "no such run"));
        }

        switch (endpoint)
        {
            case "runs/log-batch":
                return LogBatch(run, body);
            case "runs/set-tag":
                string key = body["key"]!.GetValue<string>(), value = body["value"]!.GetValue<string>();
                if ((MLflowValidation.InvalidKey(key, "tag") ?? MLflowValidation.TooLong("Tag value", value, MaxTagValueLength)) is string tagError)
                {
                    return (HttpStatusCode.BadRequest, Error("INVALID_PARAMETER_VALUE", tagError));
                }

                run.Tags[key] = value;
                return (HttpStatusCode.OK, []);
            case "runs/update":
                run.Status = body["status"]!.GetValue<string>();
                run.EndTime = body["end_time"]?.GetValue<long>();
                return (HttpStatusCode.OK, new JsonObject { ["run_info"] = new JsonObject { ["run_id"] = run.Id, ["status"] = run.Status } });
            default:
                return (HttpStatusCode.NotFound, Error("ENDPOINT_NOT_FOUND", endpoint));
        }
    }

    // sqlalchemy_store.py / file_store.py log_batch: validate everything first (validation.py), then params, then metrics.
    private (HttpStatusCode, JsonObject) LogBatch(FakeRun run, JsonNode body)
    {
        JsonArray metrics = body["metrics"]?.AsArray() ?? [];
        JsonArray parameters = body["params"]?.AsArray() ?? [];
        Interlocked.Add(ref metricsReceived, metrics.Count);
        if (metrics.Count > MaxMetricsPerBatch || parameters.Count > MaxParamsTagsPerBatch)
        {
            return (HttpStatusCode.BadRequest, Error("INVALID_PARAMETER_VALUE", "A batch logging request can contain at most 1000 metrics and 100 params."));
        }

        var points = metrics.Select(m => (Key: m!["key"]!.GetValue<string>(), Step: m["step"]!.GetValue<long>(), Timestamp: m["timestamp"]!.GetValue<long>(), Value: ReadValue(m["value"]!))).ToList();
        var pairs = parameters.Select(p => (Key: p!["key"]!.GetValue<string>(), Value: p["value"]!.GetValue<string>())).ToList();
        string? invalid = points.Select(p => MLflowValidation.InvalidKey(p.Key, "metric") ?? (RefusedMetricNames.ContainsKey(p.Key) ? $"Got invalid value for metric '{p.Key}'" : null)).FirstOrDefault(e => e is not null)
            ?? pairs.Select(p => MLflowValidation.InvalidKey(p.Key, "parameter") ?? MLflowValidation.TooLong("Param value", p.Value, MaxParamValueLength)).FirstOrDefault(e => e is not null);
        if (invalid is not null)
        {
            return (HttpStatusCode.BadRequest, Error("INVALID_PARAMETER_VALUE", invalid));
        }

        // validation.py _validate_param_keys_unique.
        if (pairs.GroupBy(p => p.Key).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            return (HttpStatusCode.BadRequest, Error("INVALID_PARAMETER_VALUE", $"Duplicate parameter keys have been submitted: ['{duplicate.Key}']."));
        }

        // Changing a param is refused: the SQL store answers 400 INVALID_PARAMETER_VALUE, the file store 500 INTERNAL_ERROR.
        if (pairs.FirstOrDefault(p => run.Params.TryGetValue(p.Key, out string? old) && old != p.Value) is { Key: not null } changed)
        {
            return Store == FakeStore.Sql
                ? (HttpStatusCode.BadRequest, Error("INVALID_PARAMETER_VALUE", $"Changing param values is not allowed. Param with key='{changed.Key}' was already logged."))
                : (HttpStatusCode.InternalServerError, Error("INTERNAL_ERROR", $"Changing param values is not allowed. Param with key='{changed.Key}' was already logged."));
        }

        foreach (var p in pairs)
        {
            run.Params[p.Key] = p.Value;
        }

        if (Store == FakeStore.Sql)
        {
            return run.InsertAsSqlStore(points)
                ? (HttpStatusCode.OK, [])
                : (HttpStatusCode.BadRequest, Error("BAD_REQUEST", "(sqlite3.IntegrityError) UNIQUE constraint failed: metrics.key, metrics.timestamp, metrics.step, metrics.run_uuid, metrics.value, metrics.is_nan"));
        }

        run.AppendAsFileStore(points);
        return (HttpStatusCode.OK, []);
    }

    // The SQL store keeps an infinity as the largest finite double (it has no infinity) and returns that.
    private double StoredValue(double value) => Store == FakeStore.Sql && double.IsInfinity(value) ? Math.CopySign(double.MaxValue, value) : value;

    private static JsonNode WireValue(double value) => double.IsFinite(value)
        ? JsonValue.Create(value)
        : JsonValue.Create(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");

    private static double ReadValue(JsonNode value) => value.GetValueKind() == JsonValueKind.String
        ? double.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture)
        : value.GetValue<double>();

    private static JsonObject RunReply(FakeRun run) => new()
    {
        ["run"] = new JsonObject { ["info"] = new JsonObject { ["run_id"] = run.Id, ["experiment_id"] = run.ExperimentId, ["status"] = run.Status } },
    };

    private static JsonObject Error(string code, string message) => new() { ["error_code"] = code, ["message"] = message };

    private static async Task ReplyAsync(HttpContext context, HttpStatusCode status, JsonObject body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
