using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Serialization;

namespace LeakGuard.Tests.Investigation;

// The dynamic-code and per-request-client leaks, built for real: a serializer generated per call, a client per request.
#pragma warning disable CA1001, CA2000 // The leaks are the point: nothing here is disposed.

public sealed class GeneratedOrder
{
    public int Id { get; set; }

    public List<GeneratedOrderLine> Lines { get; } = [];
}

public sealed class GeneratedOrderLine
{
    public string? Sku { get; set; }
}

internal static class GeneratedCodeLeaks
{
    /// <summary>
    /// Serialises with a serializer built per call through the root-attribute constructor, which does not cache: each
    /// call generates a new Microsoft.GeneratedCode assembly (measured on .NET 10: 20 calls, 20 dynamic assemblies; the
    /// (Type) constructor generated one for the type once).
    /// </summary>
    public static void SerializePerCall(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var serializer = new XmlSerializer(typeof(GeneratedOrder), new XmlRootAttribute("order"));
            using var writer = new StringWriter();
            serializer.Serialize(writer, new GeneratedOrder { Id = i });
        }
    }
}

/// <summary>
/// A loopback HTTP/1.1 server that answers every request with an empty 200 and keeps the connection open, as a real
/// server does within its keep-alive timeout.
/// </summary>
internal sealed class KeepAliveServer : IDisposable
{
    private static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];

    public KeepAliveServer()
    {
        _listener.Start(backlog: 1024);
        Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = AcceptAsync();
    }

    public Uri Uri { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_connections)
        {
            _connections.ForEach(connection => connection.Dispose());
            _connections.Clear();
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var connection = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                lock (_connections)
                {
                    _connections.Add(connection);
                }

                _ = ServeAsync(connection);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(TcpClient connection)
    {
        // Small: the server's side of each connection is not the leak under test.
        var buffer = new byte[256];
        var stream = connection.GetStream();
        try
        {
            var seen = new StringBuilder();
            while (!_stop.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
                while (seen.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and >= 0)
                {
                    seen.Remove(0, end + 4);
                    await stream.WriteAsync(Response, _stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or IOException or SocketException)
        {
            // Stopped or closed by the client.
        }
    }
}

internal static class HttpClientLeaks
{
    // Held, as by a long-lived owner that creates one per request: a client nothing references is collected and its
    // connections closed by their finalizers whenever the GC gets to them (measured in CI: by the second snapshot the
    // client side was gone, and only this test server's own accepted sockets were left to match, as a static collection).
    private static readonly List<HttpClient> Clients = [];

    public static KeepAliveServer? Server { get; private set; }

    /// <summary>One new HttpClient per request, never disposed: each keeps its own pool with one open connection.</summary>
    public static void ClientPerRequest(int count)
    {
        Server ??= new KeepAliveServer();
        for (var i = 0; i < count; i++)
        {
            var client = new HttpClient();
            Clients.Add(client);
            using var response = client.GetAsync(Server.Uri).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
        }
    }

    public static void Reset()
    {
        foreach (var client in Clients)
        {
            client.Dispose();
        }

        Clients.Clear();
        Server?.Dispose();
        Server = null;
    }
}
#pragma warning restore CA1001, CA2000
