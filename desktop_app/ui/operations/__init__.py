"""What the user asked for, turned into controller calls: one small operation object per kind of action."""
