using Marten;

namespace Gatehouse.Authorization.Grants.ListingGrants;

public static class ListGrants
{
    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/grants", async (string? subject, bool? includeRevoked, IQuerySession session, CancellationToken cancellationToken) =>
        {
            var grants = session.Query<Grant>().AsQueryable();
            if (!string.IsNullOrWhiteSpace(subject))
            {
                grants = grants.Where(g => g.Subject == subject);
            }

            if (includeRevoked != true)
            {
                grants = grants.Where(g => g.RevokedAt == null);
            }

            return Results.Ok(await grants.OrderBy(g => g.IssuedAt).Take(1000).ToListAsync(cancellationToken));
        });

        admin.MapGet("/grants/{id:guid}", async (Guid id, IQuerySession session, CancellationToken cancellationToken) =>
            await session.LoadAsync<Grant>(id, cancellationToken) is { } grant
                ? Results.Ok(grant)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no grant {id}"));
    }
}
