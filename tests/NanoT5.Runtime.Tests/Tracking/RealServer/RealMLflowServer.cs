// The real MLflow tracking server (MLflow 2.10.2 from ../shared/mlflow-server beside the repository), started on a
// free loopback port with a SQL (sqlite) or file store, stopped by its process group, and read back over its REST API.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace NanoT5.Tests.Tracking.RealServer;

internal sealed class RealMLflowServer : IAsyncDisposable
{
    private readonly string store;
    private readonly string kind;
    private readonly HttpClient client = new();
    private int? pid;

    private RealMLflowServer(string store, string kind, int port)
    {
        this.store = store;
        this.kind = kind;
        Url = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri Url { get; }

    /// <summary>../shared/mlflow-server relative to the repository root.</summary>
    public static string Home => Path.GetFullPath(TestPaths.Repo("..", "shared", "mlflow-server"));

    public static async Task<RealMLflowServer> StartAsync(string store, string kind)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = new RealMLflowServer(store, kind, port);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again) on the same port and store.</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { Path.Combine(Home, "start.sh"), $"{Url.Port}", store, kind })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"start.sh failed ({process.ExitCode}): {error}");
        pid = int.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Stops the server's process group (the data stays in the store).</summary>
    public async Task StopAsync()
    {
        if (pid is int group)
        {
            using Process kill = Process.Start("kill", ["-TERM", "--", $"-{group}"]);
            await kill.WaitForExitAsync();
            for (int i = 0; i < 100 && IsAlive(group); i++)
            {
                await Task.Delay(100);
            }

            pid = null;
        }
    }

    /// <summary>Every stored point of <paramref name="key"/> in run <paramref name="runId"/> (each copy).</summary>
    public async Task<IReadOnlyList<(long Step, long Timestamp, double Value)>> HistoryAsync(string runId, string key)
    {
        using JsonDocument reply = await GetAsync($"metrics/get-history?run_id={runId}&metric_key={Uri.EscapeDataString(key)}");
        return reply.RootElement.TryGetProperty("metrics", out JsonElement metrics)
            ? [.. metrics.EnumerateArray().Select(m => (m.GetProperty("step").GetInt64(), m.GetProperty("timestamp").GetInt64(), Value(m.GetProperty("value"))))]
            : [];
    }

    public async Task<string> StatusAsync(string runId)
    {
        using JsonDocument reply = await GetAsync($"runs/get?run_id={runId}");
        return reply.RootElement.GetProperty("run").GetProperty("info").GetProperty("status").GetString()!;
    }

    public Task<IReadOnlyDictionary<string, string>> ParamsAsync(string runId) => RunDataAsync(runId, "params");

    public Task<IReadOnlyDictionary<string, string>> TagsAsync(string runId) => RunDataAsync(runId, "tags");

    // run.data.params or run.data.tags of runs/get: key/value pairs.
    private async Task<IReadOnlyDictionary<string, string>> RunDataAsync(string runId, string list)
    {
        using JsonDocument reply = await GetAsync($"runs/get?run_id={runId}");
        return reply.RootElement.GetProperty("run").GetProperty("data").TryGetProperty(list, out JsonElement pairs)
            ? pairs.EnumerateArray().ToDictionary(p => p.GetProperty("key").GetString()!, p => p.GetProperty("value").GetString()!)
            : new Dictionary<string, string>();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        client.Dispose();
    }

    private async Task<JsonDocument> GetAsync(string path)
    {
        string body = await client.GetStringAsync(new Uri(Url, $"api/2.0/mlflow/{path}"));
        return JsonDocument.Parse(body);
    }

    private static double Value(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? double.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
        : value.GetDouble();

    private static bool IsAlive(int processId)
    {
        try
        {
            using Process process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
