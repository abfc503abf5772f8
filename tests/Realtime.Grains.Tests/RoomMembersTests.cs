using Realtime.Grains.Rooms;
using Realtime.Rooms;

namespace Realtime.Grains.Tests;

/// <summary>The room's member records on their own: bounded records, doubling, loading back, users.</summary>
public sealed class RoomMembersTests
{
    private static RoomMember Member(int i, string? user = null) => new($"c_{i}", user, "gw");

    [Fact]
    public void RecordsDoubleAsTheRoomGrowsAndStayBounded()
    {
        var members = new RoomMembers();
        for (var i = 0; i < 5_000; i++)
        {
            members.Set(Member(i));
        }

        Assert.Equal(5_000, members.Count);
        Assert.True(members.RecordCount * RoomMembers.MembersPerRecord >= 5_000);
        Assert.True(members.RecordCount * RoomMembers.MembersPerRecord / 2 < 5_000);
        var all = members.TakeDirty();
        Assert.Equal(members.RecordCount, all.Records.Count);
        Assert.All(all.Records, r => Assert.True(r.Members.Count <= 2 * RoomMembers.MembersPerRecord, $"record {r.Index} holds {r.Members.Count}"));
        Assert.Equal(5_000, all.Records.Sum(r => r.Members.Count));
        Assert.True(all.Grew);

        // Once written, a join or a leave is one record to write again.
        members.Set(Member(5_000));
        var join = members.TakeDirty();
        Assert.Equal([RoomMembers.HomeOf("c_5000", members.RecordCount)], join.Records.Select(r => r.Index));
        Assert.False(join.Grew);
        Assert.True(members.Remove("c_17", out _));
        Assert.Single(members.TakeDirty().Records);
        Assert.False(members.IsDirty);
    }

    [Fact]
    public void LoadingKeepsEachMemberFromItsHomeRecordOnly()
    {
        var members = new RoomMembers();
        for (var i = 0; i < 200; i++)
        {
            members.Set(Member(i));
        }

        var records = members.TakeDirty().Records.OrderBy(r => r.Index).Select(r => r.Members).ToList();

        // A stop part way through a doubling can leave a stale copy in the record a member left.
        var stale = Member(3) with { GatewayId = "gw_stale" };
        var notHome = (RoomMembers.HomeOf(stale.ClientId, records.Count) + 1) % records.Count;
        records[notHome] = new Dictionary<string, RoomMember>(records[notHome]) { [stale.ClientId] = stale };

        var loaded = new RoomMembers();
        loaded.Load(records.Count, records);

        Assert.Equal(200, loaded.Count);
        Assert.True(loaded.TryGet("c_3", out var member));
        Assert.Equal("gw", member.GatewayId);
        Assert.False(loaded.IsDirty);
        Assert.Equal(records.Count, loaded.SavedRecordCount);
    }

    [Fact]
    public void AFailedWriteIsWrittenAgainAndKeepsItsOrder()
    {
        var members = new RoomMembers();
        for (var i = 0; i < 100; i++)
        {
            members.Set(Member(i));
        }

        var failed = members.TakeDirty();
        Assert.True(failed.Grew);
        members.Retry(failed);

        var again = members.TakeDirty();
        Assert.True(again.Grew);
        Assert.Equal(failed.Records.Select(r => r.Index).Order(), again.Records.Select(r => r.Index).Order());
    }

    [Fact]
    public void AUsersConnectionsAreKnownWithoutAScan()
    {
        var members = new RoomMembers();
        members.Set(Member(1, "ann"));
        members.Set(Member(2, "ann"));
        members.Set(Member(3, "bob"));
        members.Set(Member(2, "bob"));

        Assert.Equal(["c_1"], members.ConnectionsOf("ann"));
        Assert.Equal(["c_3", "c_2"], members.ConnectionsOf("bob"));
        Assert.True(members.Remove("c_1", out _));
        Assert.Empty(members.ConnectionsOf("ann"));
        Assert.Empty(members.ConnectionsOf("nobody"));
    }
}
