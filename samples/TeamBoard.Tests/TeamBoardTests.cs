using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Realtime.Client;

namespace TeamBoard.Tests;

/// <summary>The sample as its users meet it: the app started on its own, .NET clients on its socket.</summary>
public sealed class TeamBoardTests : IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);
    private WebApplication _app = null!;
    private Uri _socket = null!;

    public async Task InitializeAsync()
    {
        _app = TeamBoardApp.Create(
        [
            "--urls=http://127.0.0.1:0",
            $"--Orleans:SiloPort={FreePort()}",
            $"--Orleans:GatewayPort={FreePort()}",
            $"--Orleans:ClusterId=teamboard-{Guid.NewGuid():N}",
            "--TeamBoard:Clock:Interval=00:00:00.200",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        _socket = new Uri(_app.Urls.First().Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private RealtimeClient Client() => new(new RealtimeClientOptions { Uri = _socket });

    [Fact]
    public async Task ANotePostedToABoardReachesItsMembersAndTheClockTicks()
    {
        await using var alice = Client();
        await using var bob = Client();
        var notes = Channel.CreateUnbounded<string>();
        var ticks = Channel.CreateUnbounded<DateTimeOffset>();
        using var onNote = bob.On<Note>("board", "note", note => notes.Writer.TryWrite(note!.Text));
        using var onTick = bob.On<Tick>("clock", "tick", tick => ticks.Writer.TryWrite(tick!.At));
        await alice.ConnectAsync();
        await bob.ConnectAsync();
        await alice.JoinAsync("board:team");
        await bob.JoinAsync("board:team");
        await bob.JoinAsync("announce:clock");

        var posted = await alice.RequestAsync("board", "post", new { board = "team", text = "stand-up at ten" });

        Assert.True(posted.GetProperty("seq").GetInt64() > 0);
        Assert.Equal("stand-up at ten", await notes.Reader.ReadAsync().AsTask().WaitAsync(s_wait));
        Assert.Equal(2, await alice.RequestAsync<int>("board", "count", new { board = "team" }));
        Assert.True(await ticks.Reader.ReadAsync().AsTask().WaitAsync(s_wait) > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task TheRoomRulesAreTheAppsOwn()
    {
        await using var client = Client();
        await client.ConnectAsync();

        var badName = await Assert.ThrowsAsync<RealtimeRequestException>(() => client.JoinAsync("board:Not A Board"));
        Assert.Equal("FORBIDDEN", badName.Code);
        var otherCategory = await Assert.ThrowsAsync<RealtimeRequestException>(() => client.JoinAsync("chat:general"));
        Assert.Equal("FORBIDDEN", otherCategory.Code);

        await client.JoinAsync("announce:clock");
        var publish = await Assert.ThrowsAsync<RealtimeRequestException>(() => client.PublishAsync("announce:clock", "clock", "tick", new { at = DateTimeOffset.UtcNow }));
        Assert.Equal("FORBIDDEN", publish.Code);

        var empty = await Assert.ThrowsAsync<RealtimeRequestException>(() => client.RequestAsync("board", "post", new { board = "team", text = "" }));
        Assert.Equal("INVALID_MESSAGE", empty.Code);
    }

    private sealed record Note(string Text);

    private sealed record Tick(DateTimeOffset At);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
