// A real HTTP server on 127.0.0.1 (Kestrel) implementing the MLflow REST endpoints the tracker uses, with
// MLflow's semantics where they matter (metrics keyed by key+step+timestamp+value, so a resend is stored
// once; RESOURCE_DOES_NOT_EXIST / RESOURCE_ALREADY_EXISTS errors) and scripted faults per endpoint.
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NanoT5.Tests.Tracking;

/// <summary>A fault the server applies to one request of an endpoint.</summary>
internal sealed record Fault(HttpStatusCode? Status = null, int? RetryAfterSeconds = null, TimeSpan? Delay = null, bool DropBefore = false, bool DropAfter = false,
    bool CutReply = false, string? Garbage = null, bool HalfJson = false)
{
    /// <summary>A complete HTTP 200 whose JSON body stops halfway (what a client sees when a proxy cuts the upstream reply).</summary>
    public static Fault TruncatedJson { get; } = new(HalfJson: true);

    /// <summary>The request is processed and a 200 starts, but the connection closes halfway through its body.</summary>
    public static Fault ClosedMidResponse { get; } = new(CutReply: true);

    /// <summary>A 200 whose body is not the API's JSON (a proxy's page).</summary>
    public static Fault Garbage200 { get; } = new(Garbage: "<html><body>Gateway says hello</body></html>");

    public static Fault Error500 { get; } = new(Status: HttpStatusCode.InternalServerError);

    public static Fault DroppedConnection { get; } = new(DropBefore: true);

    /// <summary>The request is processed, then the connection is cut: the client never sees the acknowledgement.</summary>
    public static Fault LostAck { get; } = new(DropAfter: true);

    public static Fault TooMany(int retryAfterSeconds) => new(Status: HttpStatusCode.TooManyRequests, RetryAfterSeconds: retryAfterSeconds);

    public static Fault Slow(TimeSpan delay) => new(Delay: delay);
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

    /// <summary>Stored metrics, each key+step+timestamp+value once (MLflow's primary key).</summary>
    public ConcurrentDictionary<(string Key, long Step, long Timestamp, double Value), int> Metrics { get; } = new();
}

internal sealed class FakeMLflowServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> faults = new();
    private readonly ConcurrentDictionary<string, string> experiments = new();
    private readonly Lock gate = new();
    private WebApplication? app;
    private int nextId;

    private readonly TimeProvider time;

    private FakeMLflowServer(string? requiredToken, TimeProvider time)
    {
        RequiredToken = requiredToken;
        this.time = time;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>When set, requests without "Bearer {token}" get 401 (whose message echoes what was sent).</summary>
    public string? RequiredToken { get; }

    public ConcurrentDictionary<string, FakeRun> Runs { get; } = new();

    /// <summary>Characters of filler before the 401 message echoes the Authorization header (a server that echoes it late).</summary>
    public int EchoOffset { get; set; }

    /// <summary>Metric points received over all log-batch requests, resends included.</summary>
    public int MetricsReceived => Volatile.Read(ref metricsReceived);

    public ConcurrentQueue<string> AuthorizationHeaders { get; } = new();

    /// <summary>(endpoint, arrival time, metrics in the request) of every request, faulted ones included.</summary>
    public ConcurrentQueue<(string Endpoint, DateTimeOffset At, int Metrics)> Requests { get; } = new();

    private int metricsReceived;

    /// <summary>Starts on a free loopback port; arrival times and slow replies follow <paramref name="time"/> (the tracker's clock in a test).</summary>
    public static async Task<FakeMLflowServer> StartAsync(string? requiredToken = null, TimeProvider? time = null)
    {
        var server = new FakeMLflowServer(requiredToken, time ?? TimeProvider.System);
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
        JsonNode? body = context.Request.ContentLength > 0 || context.Request.Method == "POST"
            ? await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted)
            : null;
        Requests.Enqueue((endpoint, time.GetUtcNow(), body?["metrics"]?.AsArray().Count ?? 0));

        if (RequiredToken is not null && authorization != $"Bearer {RequiredToken}")
        {
            await ReplyAsync(context, HttpStatusCode.Unauthorized, Error("UNAUTHENTICATED", $"{new string('.', EchoOffset)}invalid token in '{authorization}'"));
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

        if (fault?.Status is HttpStatusCode status)
        {
            if (fault.RetryAfterSeconds is int seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
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
            byte[] whole = System.Text.Encoding.UTF8.GetBytes(reply.ToJsonString());
            context.Response.StatusCode = (int)code;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(whole.AsMemory(0, whole.Length / 2), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }

        await ReplyAsync(context, code, reply);
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
                default:
                    return ProcessRunUpdate(endpoint, body!);
            }
        }
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
                JsonArray metrics = body["metrics"]!.AsArray();
                if (metrics.Count > 1000 || body["params"]!.AsArray().Count > 100)
                {
                    return (HttpStatusCode.BadRequest, Error("INVALID_PARAMETER_VALUE", "batch over MLflow's limits"));
                }

                Interlocked.Add(ref metricsReceived, metrics.Count);
                foreach (JsonNode? m in metrics)
                {
                    run.Metrics.TryAdd((m!["key"]!.GetValue<string>(), m["step"]!.GetValue<long>(), m["timestamp"]!.GetValue<long>(), ReadValue(m["value"]!)), 0);
                }

                foreach (JsonNode? p in body["params"]!.AsArray())
                {
                    run.Params[p!["key"]!.GetValue<string>()] = p["value"]!.GetValue<string>();
                }

                return (HttpStatusCode.OK, []);
            case "runs/set-tag":
                run.Tags[body["key"]!.GetValue<string>()] = body["value"]!.GetValue<string>();
                return (HttpStatusCode.OK, []);
            case "runs/update":
                run.Status = body["status"]!.GetValue<string>();
                run.EndTime = body["end_time"]?.GetValue<long>();
                return (HttpStatusCode.OK, new JsonObject { ["run_info"] = new JsonObject { ["run_id"] = run.Id, ["status"] = run.Status } });
            default:
                return (HttpStatusCode.NotFound, Error("ENDPOINT_NOT_FOUND", endpoint));
        }
    }

    private static double ReadValue(JsonNode value) => value.GetValueKind() == JsonValueKind.String
        ? double.Parse(value.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
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
