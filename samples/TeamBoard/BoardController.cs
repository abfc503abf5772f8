using Realtime.Api;
using Realtime.Grains.Handlers;

namespace TeamBoard;

/// <summary>The <c>board</c> actions: <c>board/post</c> a note to a board, <c>board/count</c> its members.</summary>
[RealtimeController("board")]
public sealed class BoardController : RealtimeController
{
    /// <summary>A note for a board.</summary>
    public sealed record Note(string Board, string Text);

    /// <summary>A board to ask about.</summary>
    public sealed record BoardRequest(string Board);

    /// <summary>Posts <paramref name="note"/> to its board's members (the poster included); answers the note's seq.</summary>
    public async Task<object> Post(Note note)
    {
        if (note.Text.Length is 0 or > 500)
        {
            throw new RealtimeException("INVALID_MESSAGE", "a note has 1 to 500 characters");
        }

        var seq = await Realtime.SendToRoomAsync("board:" + note.Board, RealtimePush.Create("board", "note", new { text = note.Text, by = ClientId, at = DateTimeOffset.UtcNow }));
        return new { seq };
    }

    /// <summary>How many connections are on a board.</summary>
    public Task<int> Count(BoardRequest request) => Realtime.GetRoomMemberCountAsync("board:" + request.Board);
}
