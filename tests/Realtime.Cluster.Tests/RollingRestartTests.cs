using System.Collections.Concurrent;
using Realtime.Api;
using Realtime.Client;

namespace Realtime.Cluster.Tests;

/// <summary>Every process restarted, one at a time, under load: no membership is lost and nothing is missed silently.</summary>
public sealed class RollingRestartTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task RestartingEveryProcessInTurnLosesNoMembership()
    {
        const int clientCount = 20;
        await using var cluster = await ProcessCluster.StartAsync(silos: 2, gateways: 2, new Dictionary<string, string>
        {
            ["Realtime:Gateway:RateLimitPerSecond"] = "0",
        });
        var room = TestIds.Room();
        var clients = new List<(RealtimeClient Client, ConcurrentQueue<long> Seqs, ConcurrentQueue<string> Failures)>();
        for (var i = 0; i < clientCount; i++)
        {
            var primary = cluster.Gateways[i % 2];
            var other = cluster.Gateways[(i + 1) % 2];
            var options = new RealtimeClientOptions { Uri = primary.WsUri, ReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromSeconds(1) };
            options.FallbackUris.Add(other.WsUri);
            var client = new RealtimeClient(options);
            var seqs = new ConcurrentQueue<long>();
            var failures = new ConcurrentQueue<string>();
            client.On("chat", "message", push => seqs.Enqueue(push.Seq));
            client.RecoveryFailed += failures.Enqueue;
            await client.ConnectAsync();
            await client.JoinAsync(room);
            clients.Add((client, seqs, failures));
        }

        var realtime = await cluster.RealtimeAsync();
        using var stop = new CancellationTokenSource();
        var publisher = Publish(realtime, room, stop.Token);
        try
        {
            await cluster.Explain(async () =>
            {
                foreach (var silo in cluster.Silos.ToList())
                {
                    await silo.Process.StopAsync();
                    await cluster.StartSiloAsync(replacing: silo);
                    await publisher.AfterMore(30);
                }

                foreach (var gateway in cluster.Gateways.ToList())
                {
                    await gateway.Process.StopAsync();
                    await cluster.StartGatewayAsync(replacing: gateway);
                    await publisher.AfterMore(30);
                }

                return true;
            });
        }
        finally
        {
            await stop.CancelAsync();
        }

        var last = await publisher.Done;
        await cluster.Explain(async () =>
        {
            foreach (var (client, _, _) in clients)
            {
                await TestWait.Until(() => Task.FromResult(client.LastSeq(room) >= last), $"client {client.ClientId} to reach seq {last}", TimeSpan.FromSeconds(60));
            }

            return true;
        });

        var members = await (await cluster.ClientAsync()).GetRoomGrain(room).GetMembers();
        output.WriteLine($"last seq {last}, failed publishes {publisher.Failed}, recovery failures {clients.Sum(c => c.Failures.Count)}");
        Assert.Equal(clients.Select(c => c.Client.ClientId).Order(), members.Select(m => m.ClientId).Order());
        foreach (var (client, seqs, failures) in clients)
        {
            var seen = seqs.ToList();
            Assert.Equal(seen.Order().Distinct(), seen);
            var gaps = seen.Zip(seen.Skip(1)).Count(p => p.Second != p.First + 1) + (seen.FirstOrDefault() > 1 ? 1 : 0);
            Assert.True(gaps == 0 || !failures.IsEmpty, $"client {client.ClientId} missed pushes without being told: {string.Join(",", seen)}");
        }

        await Task.WhenAll(clients.Select(c => c.Client.DisposeAsync().AsTask()));
    }

    private static PublishLoop Publish(IRealtime realtime, string room, CancellationToken token) => new(realtime, room, token);

    /// <summary>Publishes to the room every 20 ms until cancelled, counting what succeeded and failed.</summary>
    private sealed class PublishLoop
    {
        private readonly ConcurrentQueue<TaskCompletionSource> _waiters = new();
        private int _succeeded;
        private long _last;

        public PublishLoop(IRealtime realtime, string room, CancellationToken token) => Done = Run(realtime, room, token);

        public Task<long> Done { get; }

        public int Failed { get; private set; }

        /// <summary>Completes once <paramref name="count"/> more publishes succeeded.</summary>
        public Task AfterMore(int count)
        {
            var target = Volatile.Read(ref _succeeded) + count;
            return TestWait.Until(() => Task.FromResult(Volatile.Read(ref _succeeded) >= target), $"{count} more publishes", TimeSpan.FromSeconds(60));
        }

        private async Task<long> Run(IRealtime realtime, string room, CancellationToken token)
        {
            for (var i = 0; !token.IsCancellationRequested; i++)
            {
                try
                {
                    _last = await realtime.SendToRoomAsync(room, RealtimePush.Create("chat", "message", new { i }));
                    Interlocked.Increment(ref _succeeded);
                }
                catch (Exception)
                {
                    Failed++;
                }

                try
                {
                    await Task.Delay(20, token);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return _last;
        }
    }
}
