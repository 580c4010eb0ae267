using VSmenu.Data.Orders;
using VSmenu.Data.Users;

namespace VSmenu.UnitTests.Orders;

public sealed class OrderWorkflowTests
{
    public static TheoryData<OrderType, OrderStatus[]> LifeCycles => new()
    {
        { OrderType.DineIn, [OrderStatus.Pending, OrderStatus.Confirmed, OrderStatus.Preparing, OrderStatus.Ready, OrderStatus.Served, OrderStatus.Completed] },
        { OrderType.Takeaway, [OrderStatus.Pending, OrderStatus.Confirmed, OrderStatus.Preparing, OrderStatus.Ready, OrderStatus.PickedUp, OrderStatus.Completed] },
        {
            OrderType.Delivery,
            [OrderStatus.Pending, OrderStatus.Confirmed, OrderStatus.Preparing, OrderStatus.Ready, OrderStatus.OutForDelivery, OrderStatus.Delivered, OrderStatus.Completed]
        },
    };

    [Theory]
    [MemberData(nameof(LifeCycles))]
    public void A_manager_can_walk_each_order_type_through_its_whole_life(OrderType type, OrderStatus[] lifeCycle)
    {
        foreach (var (from, to) in lifeCycle.Zip(lifeCycle.Skip(1)))
        {
            Assert.Equal(TransitionVerdict.Allowed, OrderWorkflow.Check(type, from, to, Role.Manager));
        }
    }

    [Theory]
    [InlineData(OrderStatus.Preparing, OrderStatus.Confirmed)]
    [InlineData(OrderStatus.Ready, OrderStatus.Preparing)]
    public void The_kitchen_may_recall_a_bump_and_the_front_of_house_may_not(OrderStatus from, OrderStatus to)
    {
        foreach (var type in Enum.GetValues<OrderType>())
        {
            Assert.Equal(TransitionVerdict.Allowed, OrderWorkflow.Check(type, from, to, Role.Kitchen));
            Assert.Equal(TransitionVerdict.Forbidden, OrderWorkflow.Check(type, from, to, Role.Waiter));
            Assert.Equal(TransitionVerdict.Forbidden, OrderWorkflow.Check(type, from, to, Role.Delivery));
        }
    }

    [Theory]
    [InlineData(OrderType.Takeaway, OrderStatus.Ready, OrderStatus.Served)]
    [InlineData(OrderType.DineIn, OrderStatus.Ready, OrderStatus.OutForDelivery)]
    [InlineData(OrderType.Delivery, OrderStatus.Ready, OrderStatus.PickedUp)]
    [InlineData(OrderType.Delivery, OrderStatus.Ready, OrderStatus.Completed)]
    [InlineData(OrderType.DineIn, OrderStatus.Pending, OrderStatus.Ready)]
    [InlineData(OrderType.DineIn, OrderStatus.Ready, OrderStatus.Pending)]
    [InlineData(OrderType.DineIn, OrderStatus.Ready, OrderStatus.Cancelled)]
    [InlineData(OrderType.DineIn, OrderStatus.Completed, OrderStatus.Cancelled)]
    [InlineData(OrderType.DineIn, OrderStatus.Cancelled, OrderStatus.Pending)]
    [InlineData(OrderType.DineIn, OrderStatus.Pending, OrderStatus.Pending)]
    public void Steps_that_the_life_cycle_does_not_have_are_illegal_for_everyone(OrderType type, OrderStatus from, OrderStatus to)
    {
        foreach (var role in Enum.GetValues<Role>())
        {
            Assert.Equal(TransitionVerdict.Illegal, OrderWorkflow.Check(type, from, to, role));
        }
    }

    [Theory]
    [InlineData(OrderStatus.Pending)]
    [InlineData(OrderStatus.Confirmed)]
    [InlineData(OrderStatus.Preparing)]
    public void Managers_cancel_until_the_food_is_ready(OrderStatus from)
    {
        Assert.Equal(TransitionVerdict.Allowed, OrderWorkflow.Check(OrderType.Delivery, from, OrderStatus.Cancelled, Role.Manager));
    }

    [Theory]
    [InlineData(Role.Kitchen, OrderStatus.Confirmed, OrderStatus.Preparing, TransitionVerdict.Allowed)]
    [InlineData(Role.Kitchen, OrderStatus.Preparing, OrderStatus.Ready, TransitionVerdict.Allowed)]
    [InlineData(Role.Kitchen, OrderStatus.Pending, OrderStatus.Confirmed, TransitionVerdict.Forbidden)]
    [InlineData(Role.Kitchen, OrderStatus.Ready, OrderStatus.OutForDelivery, TransitionVerdict.Forbidden)]
    [InlineData(Role.Waiter, OrderStatus.Pending, OrderStatus.Confirmed, TransitionVerdict.Allowed)]
    [InlineData(Role.Waiter, OrderStatus.Confirmed, OrderStatus.Preparing, TransitionVerdict.Forbidden)]
    [InlineData(Role.Waiter, OrderStatus.Pending, OrderStatus.Cancelled, TransitionVerdict.Allowed)]
    [InlineData(Role.Waiter, OrderStatus.Confirmed, OrderStatus.Cancelled, TransitionVerdict.Forbidden)]
    [InlineData(Role.Waiter, OrderStatus.Ready, OrderStatus.OutForDelivery, TransitionVerdict.Forbidden)]
    [InlineData(Role.Delivery, OrderStatus.Ready, OrderStatus.OutForDelivery, TransitionVerdict.Allowed)]
    [InlineData(Role.Delivery, OrderStatus.OutForDelivery, OrderStatus.Delivered, TransitionVerdict.Allowed)]
    [InlineData(Role.Delivery, OrderStatus.Delivered, OrderStatus.Completed, TransitionVerdict.Allowed)]
    [InlineData(Role.Delivery, OrderStatus.Preparing, OrderStatus.Ready, TransitionVerdict.Forbidden)]
    [InlineData(Role.Delivery, OrderStatus.Pending, OrderStatus.Cancelled, TransitionVerdict.Forbidden)]
    public void Each_role_moves_only_its_own_steps_of_a_delivery(Role role, OrderStatus from, OrderStatus to, TransitionVerdict expected)
    {
        Assert.Equal(expected, OrderWorkflow.Check(OrderType.Delivery, from, to, role));
    }

    [Fact]
    public void Owners_may_take_every_step_that_exists()
    {
        foreach (var type in Enum.GetValues<OrderType>())
        {
            foreach (var from in Enum.GetValues<OrderStatus>())
            {
                foreach (var to in OrderWorkflow.NextStatuses(type, from))
                {
                    Assert.Equal(TransitionVerdict.Allowed, OrderWorkflow.Check(type, from, to, Role.Owner));
                }
            }
        }
    }

    [Theory]
    [InlineData(OrderStatus.Completed)]
    [InlineData(OrderStatus.Cancelled)]
    public void Finished_orders_go_nowhere(OrderStatus final)
    {
        foreach (var type in Enum.GetValues<OrderType>())
        {
            Assert.Empty(OrderWorkflow.NextStatuses(type, final));
        }
    }
}
