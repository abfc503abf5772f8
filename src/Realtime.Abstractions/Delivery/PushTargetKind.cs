namespace Realtime.Delivery;

/// <summary>Who a <see cref="TargetedPush"/> is for.</summary>
public enum PushTargetKind
{
    /// <summary>The connections named in <see cref="TargetedPush.Keys"/>.</summary>
    Clients = 0,

    /// <summary>The local members of any of the rooms in <see cref="TargetedPush.Keys"/>, each once.</summary>
    Rooms = 1,

    /// <summary>Every local connection.</summary>
    All = 2,

    /// <summary>Every local connection that arrived on the path in <see cref="TargetedPush.Keys"/>.</summary>
    Path = 3,
}
