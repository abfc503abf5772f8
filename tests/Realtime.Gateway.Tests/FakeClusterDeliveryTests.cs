using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Delivery;
using Realtime.Gateway.Hosting;

namespace Realtime.Gateway.Tests;

/// <summary>What the gateway does with what arrives on its stream, on a fake cluster (no silo).</summary>
public sealed class FakeClusterDeliveryTests
{
    private static byte[] Push(string room, string text) => Encoding.UTF8.GetBytes($$"""{"type":"chat","action":"typing","data":{"text":"{{text}}"},"room":"{{room}}"}""");

    [Fact]
    public async Task AnUnsequencedRoomPushWithAFilterReachesOnlyTheMembersItMatches()
    {
        await using var server = await GatewayServer.StartOnFakeAsync();
        var gatewayId = server.Services.GetRequiredService<GatewayIdentity>().Id;
        var room = TestIds.Room("chat");
        await using var red = await server.ConnectAsync();
        await using var blue = await server.ConnectAsync();
        await red.JoinAsync(room);
        await blue.JoinAsync(room);
        Assert.True((await red.RequestAsync("system", "setMetadata", new { key = "team", value = "red" })).GetProperty("ok").GetBoolean());
        Assert.True((await blue.RequestAsync("system", "setMetadata", new { key = "team", value = "blue" })).GetProperty("ok").GetBoolean());

        server.Fake!.Push(gatewayId, new RoomEventPush(room, Push(room, "for red"), Filter: new Dictionary<string, string> { ["team"] = "red" }));
        server.Fake.Push(gatewayId, new RoomEventPush(room, Push(room, "for all")));

        Assert.Equal("for red", (await red.NextPushAsync("red's filtered push")).Text());
        Assert.Equal("for all", (await red.NextPushAsync("red's second push")).Text());
        Assert.Equal("for all", (await blue.NextPushAsync("blue's first push: the filtered one skipped it")).Text());
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task ALostPushIsRepairedFromTheRoomsHistoryInOrder()
    {
        await using var server = await GatewayServer.StartOnFakeAsync();
        var room = TestIds.Room("chat");
        await using var sender = await server.ConnectAsync();
        await using var reader = await server.ConnectAsync();
        await sender.JoinAsync(room);
        await reader.JoinAsync(room);

        await sender.PublishAsync(room, new { text = "one" });
        server.Fake!.LoseNextPush(room);
        await sender.PublishAsync(room, new { text = "three" });

        var seqs = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            seqs.Add((await reader.NextPushAsync($"push {i + 1}")).Seq());
        }

        Assert.Equal([1L, 2L, 3L], seqs);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task ARepairInOneRoomDoesNotDelayAnotherRoomsPushesAndKeepsItsOwnOrder()
    {
        await using var server = await GatewayServer.StartOnFakeAsync();
        var (slow, other) = (TestIds.Room(), TestIds.Room());
        await using var sender = await server.ConnectAsync();
        await using var slowReader = await server.ConnectAsync();
        await using var otherReader = await server.ConnectAsync();
        await sender.JoinAsync(slow);
        await sender.JoinAsync(other);
        await slowReader.JoinAsync(slow);
        await otherReader.JoinAsync(other);
        var repairStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Fake!.BeforeHistoryRead = async room =>
        {
            if (room == slow)
            {
                repairStarted.TrySetResult();
                await release.Task;
            }
        };

        await sender.PublishAsync(slow, new { text = "one" });
        server.Fake.LoseNextPush(slow);
        await sender.PublishAsync(slow, new { text = "three" });
        await repairStarted.Task.Within("the slow room's repair to start");
        await sender.PublishAsync(slow, new { text = "four" });
        await sender.PublishAsync(other, new { text = "elsewhere" });

        // The repair still waits on history, and the other room's push is already through.
        var elsewhere = await otherReader.NextPushAsync("the other room's push");
        var first = await slowReader.NextPushAsync("the slow room's first push");
        release.SetResult();
        var rest = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            rest.Add((await slowReader.NextPushAsync($"the slow room's push after the repair ({i + 1})")).Seq());
        }

        Assert.Equal("elsewhere", elsewhere.Text());
        Assert.Equal(1L, first.Seq());
        Assert.Equal([2L, 3L, 4L], rest);
        server.Logs.AssertNoUnexpectedErrors();
    }
}
