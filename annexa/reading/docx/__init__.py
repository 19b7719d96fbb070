"""Reading Word documents (.docx, .docm) straight from their XML parts."""
