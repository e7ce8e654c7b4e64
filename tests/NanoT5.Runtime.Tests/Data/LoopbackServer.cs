// A tiny HTTP server on 127.0.0.1 for URL-source tests; it serves one byte array per the test's rules.
using System.Net;
using System.Net.Sockets;

namespace NanoT5.Tests.Data;

internal sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, HttpListenerContext, Task> _handle;
    private readonly Task _loop;
    private int _requests;

    /// <param name="handle">Answers request number n (0-based).</param>
    public LoopbackServer(Func<int, HttpListenerContext, Task> handle)
    {
        _handle = handle;
        int port = FreePort();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public string Url { get; }

    public List<string?> RangeHeaders { get; } = [];

    public int Requests => _requests;

    /// <summary>Writes <paramref name="body"/> from the request's Range start (206) or whole (200); stops after <paramref name="cutAfter"/> bytes by aborting.</summary>
    public static async Task Serve(HttpListenerContext context, byte[] body, int cutAfter = int.MaxValue)
    {
        string? range = context.Request.Headers["Range"];
        int start = range is null ? 0 : int.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = range is null ? 200 : 206;
        context.Response.ContentLength64 = body.Length - start;
        int length = Math.Min(body.Length - start, cutAfter);
        await context.Response.OutputStream.WriteAsync(body.AsMemory(start, length));
        if (length < body.Length - start)
        {
            await context.Response.OutputStream.FlushAsync();
            context.Response.Abort();
            return;
        }

        context.Response.Close();
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            int n = Interlocked.Increment(ref _requests) - 1;
            lock (RangeHeaders)
            {
                RangeHeaders.Add(context.Request.Headers["Range"]);
            }

            try
            {
                await _handle(n, context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client went away; the next request is served normally.
            }
        }
    }
}
