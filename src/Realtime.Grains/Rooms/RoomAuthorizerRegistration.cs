namespace Realtime.Grains.Rooms;

/// <summary>An authorizer for one access to the rooms of a category (null: every category without its own).</summary>
internal sealed record RoomAuthorizerRegistration(string? Category, RoomAccess Access, Func<RoomAccessContext, ValueTask<bool>> Authorize);
