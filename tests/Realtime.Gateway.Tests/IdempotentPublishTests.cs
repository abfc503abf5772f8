using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Api;

namespace Realtime.Gateway.Tests;

/// <summary>
/// A publish with an idempotency key, repeated by the same user (anonymous: the same session), the HTTP
/// API or <see cref="IRealtime"/>: broadcast once, the repeat answered with the first seq and "duplicate".
/// </summary>
[Collection(AuthCollection.Name)]
public sealed class IdempotentPublishTests(AuthFixture fixture) : LogCheckedTest
{
    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    private static Task<JsonElement> PublishAsync(WsClient client, string room, string? key, string text, bool transient = false)
        => client.RequestAsync("system", "publish", new Dictionary<string, object?>
        {
            ["roomName"] = room,
            ["type"] = "chat",
            ["action"] = "message",
            ["data"] = new { text },
            ["idempotencyKey"] = key,
            ["transient"] = transient,
        });

    private static (long Seq, bool Duplicate) Published(JsonElement reply)
    {
        Assert.True(reply.GetProperty("ok").GetBoolean(), $"publish failed: {reply}");
        var data = reply.GetProperty("data");
        return (data.GetProperty("seq").GetInt64(), data.TryGetProperty("duplicate", out var duplicate) && duplicate.GetBoolean());
    }

    private Task<WsClient> UserAsync() => Server.ConnectWithTokenAsync(Tokens.Create(TestIds.User()));

    private async Task<(WsClient Member, string Room)> RoomWithMemberAsync(params WsClient[] publishers)
    {
        var room = TestIds.Room();
        var member = await UserAsync();
        await member.JoinAsync(room);
        foreach (var publisher in publishers)
        {
            await publisher.JoinAsync(room);
        }

        return (member, room);
    }

    [Fact]
    public async Task AKeyRepeatedByTheSameUserOnAnyOfTheirConnectionsBroadcastsOnce()
    {
        var alice = TestIds.User();
        await using var tab1 = await Server.ConnectWithTokenAsync(Tokens.Create(alice));
        await using var tab2 = await Server.ConnectWithTokenAsync(Tokens.Create(alice));
        await using var bob = await Server.ConnectWithTokenAsync(Tokens.Create(TestIds.User()));
        var (member, room) = await RoomWithMemberAsync(tab1, tab2, bob);
        await using var _ = member;

        var first = Published(await PublishAsync(tab1, room, "k-1", "first"));
        var again = Published(await PublishAsync(tab1, room, "k-1", "again"));
        var otherTab = Published(await PublishAsync(tab2, room, "k-1", "other tab"));
        var otherKey = Published(await PublishAsync(tab1, room, "k-2", "other key"));
        var otherUser = Published(await PublishAsync(bob, room, "k-1", "other user"));

        Assert.False(first.Duplicate);
        Assert.Equal((first.Seq, true), again);
        Assert.Equal((first.Seq, true), otherTab);
        Assert.Equal((first.Seq + 1, false), otherKey);
        Assert.Equal((first.Seq + 2, false), otherUser);
        foreach (var (seq, text) in new[] { (first.Seq, "first"), (first.Seq + 1, "other key"), (first.Seq + 2, "other user") })
        {
            var push = await member.NextPushAsync($"the push {text}");
            Assert.Equal(seq, push.Seq());
            Assert.Equal(text, push.Text());
        }
    }

    [Fact]
    public async Task AnAnonymousConnectionsKeysAreItsOwn()
    {
        await using var server = await GatewayServer.StartAsync();
        await using var one = await server.ConnectAsync();
        await using var other = await server.ConnectAsync();
        await using var member = await server.ConnectAsync();
        var room = TestIds.Room();
        foreach (var client in new[] { member, one, other })
        {
            await client.JoinAsync(room);
        }

        var first = Published(await PublishAsync(one, room, "same", "one"));
        var repeat = Published(await PublishAsync(one, room, "same", "one again"));
        var fromOther = Published(await PublishAsync(other, room, "same", "other"));

        Assert.Equal((first.Seq, true), repeat);
        Assert.Equal((first.Seq + 1, false), fromOther);
        Assert.Equal("one", (await member.NextPushAsync("the first push")).Text());
        Assert.Equal("other", (await member.NextPushAsync("the other connection's push")).Text());
    }

    [Fact]
    public async Task ATransientPublishIgnoresTheKey()
    {
        await using var publisher = await UserAsync();
        var (member, room) = await RoomWithMemberAsync(publisher);
        await using var _ = member;

        foreach (var text in new[] { "typing 1", "typing 2" })
        {
            var reply = await PublishAsync(publisher, room, "typing", text, transient: true);
            Assert.True(reply.GetProperty("ok").GetBoolean(), $"transient publish failed: {reply}");
            Assert.Equal(text, (await member.NextPushAsync(text)).Text());
        }
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"" + "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" + "\"")]
    [InlineData("42")]
    public async Task AKeyThatIsNotOneTo64CharactersIsRefused(string keyJson)
    {
        await using var publisher = await UserAsync();
        var room = TestIds.Room();
        await publisher.JoinAsync(room);

        var reply = await publisher.RequestRawAsync("bad", $$$"""{"type":"system","action":"publish","id":"bad","data":{"roomName":"{{{room}}}","type":"chat","action":"message","data":{},"idempotencyKey":{{{keyJson}}}}}""");

        reply.AssertError("INVALID_MESSAGE");
        Assert.Contains("idempotencyKey", reply.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await publisher.PublishAsync(room, new { text = "still fine" }));
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> SendToRoomAsync(string room, string text, string? key)
        => fixture.PostApiAsync(
            "send-to-room",
            JsonSerializer.Serialize(new { room, type = "chat", action = "message", data = new { text } }),
            headers: key is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = key });

    [Fact]
    public async Task TheHttpApiTakesAnIdempotencyKeyHeader()
    {
        var (member, room) = await RoomWithMemberAsync();
        await using var _ = member;

        var (status, first) = await SendToRoomAsync(room, "first", "order-17");
        var (againStatus, again) = await SendToRoomAsync(room, "again", "order-17");
        var (_, unkeyed) = await SendToRoomAsync(room, "unkeyed", null);
        var (badStatus, bad) = await SendToRoomAsync(room, "bad", new string('k', 65));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(first.TryGetProperty("duplicate", out var _));
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal(first.GetProperty("seq").GetInt64(), again.GetProperty("seq").GetInt64());
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("seq").GetInt64() + 1, unkeyed.GetProperty("seq").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("Idempotency-Key", bad.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("first", (await member.NextPushAsync("the first send")).Text());
        Assert.Equal("unkeyed", (await member.NextPushAsync("the unkeyed send")).Text());
    }

    [Fact]
    public async Task IRealtimeTakesAnIdempotencyKeyInItsOptions()
    {
        var realtime = Server.Services.GetRequiredService<IRealtime>();
        var (member, room) = await RoomWithMemberAsync();
        await using var _ = member;
        var keyed = new SendOptions { IdempotencyKey = "job-5" };

        var first = await realtime.SendToRoomWithResultAsync(room, RealtimePush.Create("chat", "message", new { text = "first" }), keyed);
        var again = await realtime.SendToRoomAsync(room, RealtimePush.Create("chat", "message", new { text = "again" }), keyed);
        var detailed = await realtime.SendToRoomWithResultAsync(room, RealtimePush.Create("chat", "message", new { text = "again" }), keyed);
        var other = await realtime.SendToRoomAsync(room, RealtimePush.Create("chat", "message", new { text = "other" }), new SendOptions { IdempotencyKey = "job-6" });

        Assert.False(first.Duplicate);
        Assert.Equal(first.Seq, again);
        Assert.Equal(new RoomSendResult(first.Seq, true), detailed);
        Assert.Equal(first.Seq + 1, other);
        Assert.Equal("first", (await member.NextPushAsync("the first send")).Text());
        Assert.Equal("other", (await member.NextPushAsync("the other key's send")).Text());
        await Assert.ThrowsAsync<ArgumentException>(() => realtime.SendToUsersAsync(["someone"], RealtimePush.Create("chat", "message", new { }), keyed));
        await Assert.ThrowsAsync<ArgumentException>(() => realtime.SendToRoomAsync(room, RealtimePush.Create("chat", "message", new { }), new SendOptions { IdempotencyKey = "" }));
    }
}
