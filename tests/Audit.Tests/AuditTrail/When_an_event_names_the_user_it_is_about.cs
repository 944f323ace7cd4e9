using Gatehouse.Audit.AuditTrail;
using Gatehouse.Contracts;

namespace Gatehouse.Audit.Tests.AuditTrail;

public sealed class When_an_event_names_the_user_it_is_about
{
    [Fact]
    public void Should_say_for_every_access_event_type_which_user_it_is_about_or_that_it_is_about_none() =>
        Assert.Equal(AccessEventTypes.All.Select(t => t.Name).Order(), EventSubject.Types.Select(t => t.Name).Order());
}
