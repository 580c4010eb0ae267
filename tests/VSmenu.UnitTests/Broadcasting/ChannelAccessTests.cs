using VSmenu.Api.Broadcasting;
using VSmenu.Data.Users;

namespace VSmenu.UnitTests.Broadcasting;

public sealed class ChannelAccessTests
{
    [Theory]
    [InlineData("private-orders.7")]
    [InlineData("private-tables.7")]
    [InlineData("presence-restaurant.7")]
    public void Every_member_of_staff_may_join_their_restaurants_channels(string channel)
    {
        Assert.All(Enum.GetValues<Role>(), role => Assert.True(ChannelAccess.MayJoin(channel, 7, role)));
    }

    [Theory]
    [InlineData(Role.Kitchen, true)]
    [InlineData(Role.Owner, true)]
    [InlineData(Role.Manager, true)]
    [InlineData(Role.Waiter, false)]
    [InlineData(Role.Delivery, false)]
    public void The_kitchen_channel_is_for_the_kitchen_and_those_who_run_the_restaurant(Role role, bool allowed)
    {
        Assert.Equal(allowed, ChannelAccess.MayJoin("private-kitchen.7", 7, role));
    }

    [Theory]
    [InlineData("private-orders.8")]
    [InlineData("private-orders.70")]
    [InlineData("private-kitchen.8")]
    [InlineData("presence-restaurant.8")]
    [InlineData("private-orders.7.extra")]
    [InlineData("private-anything")]
    [InlineData("orders.7")]
    public void No_other_restaurants_channel_and_no_other_channel(string channel)
    {
        Assert.All(Enum.GetValues<Role>(), role => Assert.False(ChannelAccess.MayJoin(channel, 7, role)));
    }
}
