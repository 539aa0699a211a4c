class StopOnNonFiniteLoss(TrainerCallback):
    # Stop at the first loss that is not a number (nan) or is infinite, and say what
    # to change: every step after it would train on nan and learn nothing.
    def on_log(self, args, state, control, logs=None, **kwargs):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            raise FloatingPointError(__NAN_MESSAGE__.format(step=state.global_step, loss=loss))


trainer.add_callback(StopOnNonFiniteLoss())
