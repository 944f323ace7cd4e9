using JasperFx;
using JasperFx.Events;
using Marten.Exceptions;
using Npgsql;

namespace Gatehouse.ServiceDefaults.EventStore;

/// <summary>The one reading of a failed save, for every endpoint and every retrying writer.</summary>
public static class StoreErrors
{
    /// <summary>
    /// Another writer got there first: a stream or document moved past the version we decided on, or a unique name or
    /// stream id was taken. Deciding again on what the other writer stored (or answering 409) is the right response.
    /// </summary>
    public static bool IsConflict(Exception ex) =>
        ex is ConcurrencyException or EventStreamUnexpectedMaxEventIdException or ConcurrentUpdateException
            or JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException
            or DocumentAlreadyExistsException
        || ex is AggregateException { InnerExceptions: [_, ..] inner } && inner.All(IsConflict)
        || FindPostgres(ex) is { SqlState: PostgresErrorCodes.UniqueViolation };

    private static PostgresException? FindPostgres(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is PostgresException postgres)
            {
                return postgres;
            }
        }

        return null;
    }
}
