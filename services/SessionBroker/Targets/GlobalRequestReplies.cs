namespace Gatehouse.SessionBroker.Targets;

/// <summary>
/// Matches the answers to global requests (SSH_MSG_REQUEST_SUCCESS, SSH_MSG_REQUEST_FAILURE) on one SSH connection to the
/// requests: they carry nothing that names the request, and the peer answers in the order the requests were sent
/// (RFC 4254 §4). So each request is noted as it is sent, one sender at a time, and each answer goes to the oldest one
/// not answered yet, also one given up on (its answer must not go to the next).
/// </summary>
public sealed class GlobalRequestReplies
{
    private readonly Lock _sending = new();
    private readonly LinkedList<Action<bool, uint?>> _waiting = [];

    /// <summary>
    /// Sends a request with <paramref name="send"/> and notes that <paramref name="answered"/> takes its answer (success,
    /// and the port the peer picked when it says one). Nothing is noted when sending fails.
    /// </summary>
    public void Send(Action send, Action<bool, uint?> answered)
    {
        // Noted before it goes out, as the answer may come at once; the lock for the answers is not held while sending,
        // so the thread that reads answers never waits for a send (which may wait for the peer to read).
        using (_sending.EnterScope())
        {
            LinkedListNode<Action<bool, uint?>> noted;
            lock (_waiting)
            {
                noted = _waiting.AddLast(answered);
            }

            try
            {
                send();
            }
            catch
            {
                lock (_waiting)
                {
                    if (noted.List is not null)
                    {
                        _waiting.Remove(noted);
                    }
                }

                throw;
            }
        }
    }

    /// <summary>An answer arrived: the oldest request waiting takes it; one that answers nothing sent is dropped.</summary>
    public void Answer(bool success, uint? boundPort)
    {
        Action<bool, uint?>? answered = null;
        lock (_waiting)
        {
            if (_waiting.First is { } oldest)
            {
                answered = oldest.Value;
                _waiting.RemoveFirst();
            }
        }

        answered?.Invoke(success, boundPort);
    }
}
