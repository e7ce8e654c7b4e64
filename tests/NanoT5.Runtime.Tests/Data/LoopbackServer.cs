// A tiny HTTP server on 127.0.0.1 for URL-source tests; it serves one byte array per the test's rules.
using System.Net;
using System.Net.Sockets;

namespace NanoT5.Tests.Data;

internal sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<int, HttpListenerContext, Task> handle;
    private readonly Task loop;
    private int requests;

    /// <param name="handle">Answers request number n (0-based).</param>
    public LoopbackServer(Func<int, HttpListenerContext, Task> handle)
    {
        this.handle = handle;
        int port = FreePort();
        Url = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(Url);
        listener.Start();
        loop = Task.Run(Serve);
    }

    public string Url { get; }

    public List<string?> RangeHeaders { get; } = [];

    public int Requests => requests;

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
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            int n = Interlocked.Increment(ref requests) - 1;
            lock (RangeHeaders)
            {
                RangeHeaders.Add(context.Request.Headers["Range"]);
            }

            try
            {
                await handle(n, context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client went away; the next request is served normally.
            }
        }
    }
}
