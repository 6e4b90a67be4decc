using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MerchantConsole.Tests.PostgreSql;

/// <summary>
/// A tiny TCP reverse proxy on loopback: each new connection goes to <see cref="TargetPort"/>. Left alone it is sticky
/// (every connection of the browser reaches one node); a test switches the target and drops the open connections to
/// play a balancer without affinity.
/// </summary>
public sealed class SwitchingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, TcpClient> _open = new();
    private readonly ConcurrentDictionary<int, int> _acceptedBy = new();
    private readonly Task _accepting;
    private int _accepted;

    public SwitchingProxy(int targetPort)
    {
        TargetPort = targetPort;
        _listener.Start();
        Address = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _accepting = AcceptAsync();
    }

    public string Address { get; }
    public volatile int TargetPort;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public int AcceptedBy(int port) => _acceptedBy.GetValueOrDefault(port);

    /// <summary>Closes every open connection, as a balancer that moves clients does.</summary>
    public void DropAll()
    {
        foreach (var (client, server) in _open)
        {
            client.Dispose();
            server.Dispose();
        }
        _open.Clear();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var port = TargetPort;
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
            Interlocked.Increment(ref _accepted);
            _acceptedBy.AddOrUpdate(port, 1, (_, n) => n + 1);
            _open[client] = server;
            var upstream = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
            var downstream = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(upstream, downstream);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _open.TryRemove(client, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        await _accepting;
        _stop.Dispose();
    }
}
