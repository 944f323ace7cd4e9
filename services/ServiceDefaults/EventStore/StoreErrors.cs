using JasperFx;
using JasperFx.Events;
using Npgsql;

namespace Gatehouse.Authorization.Api;

public static class StoreErrors
{
    /// <summary>Another writer got there first: a stream moved past the version we decided on, or a unique name was taken.</summary>
    public static bool IsConflict(Exception ex) =>
        ex is ConcurrencyException or EventStreamUnexpectedMaxEventIdException or ExistingStreamIdCollisionException
            or Marten.Exceptions.ExistingStreamIdCollisionException or DocumentAlreadyExistsException
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
